import Kustomize
import Testing
import YAML

/// Warnings carry file and line and never change the output; no diagnostic
/// shows a data value; a conflict names the entry that configured it.
@Suite struct DiagnosticTests {
  static let configMaps =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n"

  /// The render and the warnings of an in-memory tree.
  static func build(_ files: [String: String]) throws -> (output: String, warnings: [Diagnostic]) {
    var builder = Builder(fileSystem: MemoryFileSystem(files))
    let output = String(decoding: try Builder.render(try builder.build(".")), as: UTF8.self)
    return (output, builder.warnings)
  }

  static func failure(_ files: [String: String]) -> Diagnostic? {
    #expect(throws: Diagnostic.self) { try build(files) }
  }

  /// Rows of (kustomization and its files, the warning expected: line and words it must hold).
  static let warnings: [(files: [String: String], line: Int, file: String, words: String)] = [
    (
      [
        "kustomization.yaml":
          "resources: [cms.yaml]\npatches:\n- target: {kind: ConfigMap, name: three}\n  patch: '[{\"op\": \"add\", \"path\": \"/data\", \"value\": {}}]'\n",
        "cms.yaml": configMaps,
      ], 3, "kustomization.yaml", "selects no resource"
    ),
    (
      [
        "kustomization.yaml": "configMapGenerator:\n- name: env\n  envs: [app.env]\n",
        "app.env": "A=1\n# comment\nHUNTER2\n",
      ], 3, "app.env", "line 3 of env file 'app.env' has no '='"
    ),
    (
      ["kustomization.yaml": "secretGenerator:\n- name: s\n  literals:\n  - ok=1\n  - has space=2\n"], 5,
      "kustomization.yaml",
      "'has space' is not a valid Secret key"
    ),
    (
      ["kustomization.yaml": "resources: [cms.yaml]\nbases: []\n", "cms.yaml": configMaps], 2, "kustomization.yaml",
      "'bases' is deprecated"
    ),
    (
      ["kustomization.yaml": "resources: [cms.yaml]\ncommonLabels: {a: b}\n", "cms.yaml": configMaps], 2,
      "kustomization.yaml",
      "'commonLabels' is deprecated"
    ),
  ]

  @Test(arguments: warnings.indices)
  func aWarningNamesItsFileAndLine(_ index: Int) throws {
    let row = Self.warnings[index]
    let (_, warnings) = try Self.build(row.files)
    #expect(warnings.count == 1)
    let warning = try #require(warnings.first)
    #expect(warning.severity == .warning)
    #expect(warning.mark.file == row.file)
    #expect(warning.mark.line == row.line)
    #expect(warning.message.contains(row.words), "\(warning)")
    #expect(warning.description.hasPrefix("\(row.file):\(row.line):"))
    #expect(warning.description.contains(": warning: "))
  }

  /// A warning changes nothing: the build with the unmatched patch equals the build without it.
  @Test func anUnmatchedPatchLeavesTheOutputAsItWas() throws {
    let with = try Self.build(Self.warnings[0].files).output
    let without = try Self.build(["kustomization.yaml": "resources: [cms.yaml]\n", "cms.yaml": Self.configMaps]).output
    #expect(with == without)
    #expect(with.contains("name: one") && with.contains("name: two"))
  }

  /// A patch that matches something gives no warning.
  @Test func aMatchedPatchIsQuiet() throws {
    let (output, warnings) = try Self.build([
      "kustomization.yaml":
        "resources: [cms.yaml]\npatches:\n- target: {kind: ConfigMap, name: two}\n  patch: '[{\"op\": \"add\", \"path\": \"/data\", \"value\": {\"k\": \"v\"}}]'\n",
      "cms.yaml": Self.configMaps,
    ])
    #expect(warnings.isEmpty)
    #expect(output.contains("data:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: two"))
  }

  /// Values that may be secret: an env line without '=', a literal without a key, a
  /// delimited replacement source, a tagged scalar. Each message must not hold them.
  @Test func noDiagnosticShowsAValue() throws {
    let secret = "s3cr3t-Value"
    let (_, envWarnings) = try Self.build([
      "kustomization.yaml": "secretGenerator:\n- name: s\n  envs: [a.env]\n", "a.env": "\(secret) and more words\n",
    ])
    // One warning (the line has no '='), not a second one about the key the whole line becomes.
    #expect(envWarnings.count == 1)
    #expect(!envWarnings.description.contains(secret))
    let failures = [
      Self.failure([
        "kustomization.yaml": "secretGenerator:\n- name: s\n  envs: [a.env]\n", "a.env": "\(secret) x\n\(secret) x\n",
      ]),
      Self.failure(["kustomization.yaml": "secretGenerator:\n- name: s\n  literals: ['\(secret)']\n"]),
      Self.failure(["kustomization.yaml": "secretGenerator:\n- name: s\n  literals: ['=\(secret)']\n"]),
      Self.failure([
        "kustomization.yaml": """
        resources: [s.yaml]
        replacements:
        - source: {kind: Secret, name: s, fieldPath: stringData.p, options: {delimiter: '-', index: 5}}
          targets: [{select: {kind: Secret}, fieldPaths: [stringData.q]}]
        """,
        "s.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {p: \(secret), q: x}\n",
      ]),
      Self.failure([
        "kustomization.yaml": "resources: [s.yaml]\n",
        "s.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {p: !!int \(secret)}\n",
      ]),
    ]
    for failure in failures {
      let error = try #require(failure)
      #expect(error.mark.line > 0, "\(error)")
      #expect(!error.description.contains(secret), "\(error)")
    }
  }

  /// Two resources moved into one id: the error names both and the `namespace:` entry.
  @Test func aConflictNamesTheEntryThatCausedIt() throws {
    let error = try #require(
      Self.failure([
        "kustomization.yaml": "resources: [a.yaml]\nnamespace: shared\n",
        "a.yaml":
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: p}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: q}\n",
      ]))
    #expect(error.mark == Mark(file: "a.yaml", line: 5, column: 1))
    #expect(
      error.message
        == "setting the namespace to 'shared' gives two resources the same id: ConfigMap.v1.[noGrp]/x.shared")
    #expect(
      error.notes == [
        Diagnostic.Note(Mark(file: "a.yaml", line: 1, column: 1), "the other resource"),
        Diagnostic.Note(Mark(file: "kustomization.yaml", line: 2, column: 12), "configured here"),
      ])
  }
}
