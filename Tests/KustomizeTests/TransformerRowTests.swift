import Foundation
import Testing
import YAML

@testable import Kustomize

/// Rows of (kustomization fields, input, expected) for one transformer each,
/// as kustomize's filter tests are written: only the transformers the
/// kustomization configures run over the input (no loading; of the final
/// passes only the removal of an emptied annotations map).
/// CI's scripts/check-rows checks that each `expected` is the reference's output.
@Suite struct TransformerRowTests {
  struct Row: Sendable, CustomTestStringConvertible {
    var name: String
    var kustomization: String
    var input: String
    var expected: String
    var testDescription: String { name }
  }

  static let rows: [Row] = {
    let path = Bundle.module.url(forResource: "Fixtures/rows/transformers", withExtension: "yaml")?.path ?? ""
    guard let data = FileManager.default.contents(atPath: path),
      let documents = try? Parser().parse(Array(data), file: path),
      case .sequence(let list)? = documents.first
    else { return [] }
    return list.items.compactMap { item in
      guard let row = item.mapping, let name = row.string("name"), let kustomization = row.string("kustomization"),
        let input = row.string("input"), let expected = row.string("expected")
      else { return nil }
      return Row(name: name, kustomization: kustomization, input: input, expected: expected)
    }
  }()

  /// Every row in the file is read (a row that failed to parse would be skipped silently otherwise).
  @Test func theRowsAreRead() throws {
    let path = try #require(Bundle.module.url(forResource: "Fixtures/rows/transformers", withExtension: "yaml")?.path)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let written = text.split(separator: "\n").filter { $0.hasPrefix("- name: ") }.count
    #expect(written > 0)
    #expect(Self.rows.count == written)
  }

  @Test(arguments: rows)
  func transformsTheInputAsTheReferenceDoes(_ row: Row) throws {
    var decoder = KustomizationDecoder(file: "kustomization.yaml", directory: ".")
    let kustomization = try decoder.decode(try Parser().parse(row.kustomization, file: "kustomization.yaml"))
    var loaded = LoadedKustomization(kustomization: kustomization)
    loaded.patches = try kustomization.patches.map { entry in
      (entry, try LoadedKustomization.patch(entry, in: kustomization, loader: Loader(), json6902: false))
    }
    loaded.replacements = try LoadedKustomization.replacements(of: kustomization, loader: Loader())
    var map = try resources(row.input)
    let pipeline = Pipeline(recordsTransformations: false, limits: Limits())
    let transformers = try pipeline.transformers(of: loaded, config: TransformerConfig())
    #expect(!transformers.isEmpty || !kustomization.transformers.isEmpty)
    for transformer in transformers { try transformer.run(on: &map) }
    // Builtin plugins written inline in `transformers:` run after the fields' transformers.
    let context = BuiltinPlugins.Context(kustomization: kustomization, loader: Loader(), root: "/row")
    for entry in kustomization.transformers {
      let configs = try #require(try LoadedKustomization.inlineConfigs(entry, in: kustomization, loader: Loader()))
      for case .transformer(let plugin) in try BuiltinPlugins.configure(configs, role: .transformers, context: context)
      {
        try plugin.make(nil).run(on: &map)
      }
    }
    // The annotations map kustomize keeps during a build (JSON patches may add to it) goes at its end.
    try BuildMetadata.finishAnnotations(map)
    #expect(String(decoding: try Builder.render(map), as: UTF8.self) == row.expected)
  }
}
