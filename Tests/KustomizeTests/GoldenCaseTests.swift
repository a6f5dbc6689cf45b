import Foundation
import Kustomize
import Output
import Testing
import YAML

/// Every folder under Fixtures/cases is a kustomization with the output the
/// reference printed (expected.yaml) or the error mrgen gives where the
/// reference rejects it too (expected-error.txt); scripts/update-goldens
/// writes both with mrgen and checks them against kustomize v5.6.0.
@Suite struct GoldenCaseTests {
  static let casesDirectory: String = {
    Bundle.module.url(forResource: "Fixtures/cases", withExtension: nil)?.path ?? "Fixtures/cases"
  }()

  static let cases: [String] = {
    ((try? FileManager.default.contentsOfDirectory(atPath: casesDirectory)) ?? []).sorted()
  }()

  @Test func thereAreCases() {
    #expect(Self.cases.count >= 25)
  }

  @Test(arguments: cases)
  func caseBuildsAsTheReferenceDoes(_ name: String) throws {
    let directory = Self.casesDirectory + "/" + name
    let expectedOutput = FileManager.default.contents(atPath: directory + "/expected.yaml")
    let expectedError = FileManager.default.contents(atPath: directory + "/expected-error.txt")
    var builder = Builder()
    let result: Result<[UInt8], Diagnostic>
    do throws(Diagnostic) {
      result = .success(try Builder.render(try builder.build(directory)))
    } catch {
      result = .failure(error)
    }
    switch result {
    case .success(let output):
      let expected = try #require(expectedOutput, "\(name) built, but the case expects an error")
      let got = String(decoding: output, as: UTF8.self)
      let want = String(decoding: expected, as: UTF8.self)
      #expect(
        got == want,
        "\(name):\n\(UnifiedDiff(old: want, new: got, oldName: "expected.yaml", newName: "mrgen build").text)")
    case .failure(let error):
      let expected = try #require(expectedError, "\(name) failed: \(error)")
      let got = "\(error)\n".replacingOccurrences(of: Self.casesDirectory + "/", with: "")
      #expect(got == String(decoding: expected, as: UTF8.self))
      #expect(error.mark.line > 0, "an error names a line")
    }
  }
}
