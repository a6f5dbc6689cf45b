import Foundation
import Testing
import YAML

/// Streams the reference printed, read and written again, must come back byte for byte.
@Suite struct RoundTripTests {
  static func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return Array(try Data(contentsOf: url))
  }

  @Test(arguments: ["scalars.reference.yaml", "styles.reference.yaml", "bigtree-650.reference.yaml"])
  func referenceOutputRoundTrips(_ name: String) throws {
    let bytes = try Self.fixture(name)
    let documents = try Parser().parse(bytes, file: name)
    let emitted = try Emitter().emit(documents)
    #expect(emitted.count == bytes.count)
    #expect(
      emitted == bytes,
      "first difference at byte \(zip(emitted, bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1)"
    )
  }

  @Test func largeFixtureIsAtLeastOneMegabyte() throws {
    let bytes = try Self.fixture("bigtree-650.reference.yaml")
    #expect(bytes.count >= 1_000_000)
    let documents = try Parser().parse(bytes, file: "big")
    // One document per separator line, and the first, which has none.
    let separators = bytes.split(separator: UInt8(ascii: "\n")).filter { $0.elementsEqual("---".utf8) }.count
    #expect(documents.count == separators + 1)
    #expect(documents.count > 1000)
  }

  /// Resource files as users write them (unsorted keys, every scalar style)
  /// come out as kustomize printed them.
  @Test(arguments: ["scalars", "styles"])
  func inputIsWrittenAsTheReferenceWroteIt(_ name: String) throws {
    let input = try Self.fixture("\(name).input.yaml")
    let expected = try Self.fixture("\(name).reference.yaml")
    let emitted = try Emitter().emit(try Parser().parse(input, file: name))
    #expect(String(decoding: emitted, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
  }
}
