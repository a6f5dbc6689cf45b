import Kustomize
import Testing
import YAML

/// Every bound of a build, each passed by one input just over it, with the
/// error naming where and how to raise it; and `--limit` parsing.
@Suite struct LimitTests {
  static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: NAME\n"

  static func build(_ files: [String: String], _ change: (inout Limits) -> Void) throws(Diagnostic) -> String {
    var limits = Limits()
    change(&limits)
    var builder = Builder(fileSystem: MemoryFileSystem(files), limits: limits)
    return String(decoding: try Builder.render(try builder.build(".")), as: UTF8.self)
  }

  @Test(arguments: [
    // (what, kustomization and files, the limit, the error's location, words of the message)
    (
      "file size",
      [
        "kustomization.yaml": "resources: [big.yaml]\n",
        "big.yaml": configMap + "data:\n  k: \(String(repeating: "x", count: 2000))\n",
      ],
      "file-bytes=1Ki", "kustomization.yaml:1:13", "is larger than the limit of 1 KiB per file"
    ),
    (
      "total bytes", ["kustomization.yaml": "resources: [a.yaml, b.yaml]\n", "a.yaml": configMap, "b.yaml": configMap],
      "total-bytes=90", "kustomization.yaml:1:21", "past its limit of 90 bytes read in all"
    ),
    (
      "documents",
      [
        "kustomization.yaml": "resources: [a.yaml]\n",
        "a.yaml": "---\n" + configMap + "---\n" + configMap + "---\n" + configMap,
      ],
      "documents=2", "a.yaml:", "more than 2 YAML documents in one file"
    ),
    (
      "resources",
      [
        "kustomization.yaml": "resources: [a.yaml]\n",
        "a.yaml":
          "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n",
      ],
      "resources=2", "kustomization.yaml:1:1", "more than 2 resources"
    ),
    (
      "kustomization depth",
      [
        "kustomization.yaml": "resources: [a]\n", "a/kustomization.yaml": "resources: [b]\n",
        "b/kustomization.yaml": "resources: []\n", "a/b/kustomization.yaml": "resources: []\n",
      ],
      "kustomization-depth=2", "a/b/kustomization.yaml:1:1", "more than 2 levels deep"
    ),
    (
      "yaml depth",
      ["kustomization.yaml": "resources: [a.yaml]\n", "a.yaml": configMap + "data: {a: {b: {c: {d: x}}}}\n"],
      "yaml-depth=3", "a.yaml:5:", "nesting deeper than 3 levels"
    ),
    (
      "alias nodes",
      ["kustomization.yaml": "resources: [a.yaml]\n", "a.yaml": configMap + "x: &a [1, 2, 3]\ny: [*a, *a, *a]\n"],
      "alias-nodes=10", "a.yaml:6:", "the alias '*a' makes aliases expand to more than 10 nodes"
    ),
    (
      "alias bytes",
      [
        "kustomization.yaml": "resources: [a.yaml]\n",
        "a.yaml": configMap + "data:\n  a: &a \(String(repeating: "y", count: 600))\n  b: *a\n  c: *a\n",
      ],
      "alias-bytes=1Ki", "a.yaml:8:6", "the alias '*a' makes aliases expand to more than 1 KiB"
    ),
  ])
  func eachLimitIsAnErrorJustOverIt(
    what: String, files: [String: String], limit: String, location: String, message: String
  ) throws {
    let files = files.mapValues { $0.replacingOccurrences(of: "NAME", with: "c") }
    var limits = Limits()
    try limits.set(limit)
    var builder = Builder(fileSystem: MemoryFileSystem(files), limits: limits)
    let error = #expect(throws: Diagnostic.self, "\(what)") { _ = try builder.build(".") }
    let text = String(describing: error)
    #expect(text.contains(location), "\(what): \(text)")
    #expect(text.contains(message), "\(what): \(text)")
    #expect(text.contains("--limit \(limit.split(separator: "=")[0])="), "\(what): \(text)")
  }

  @Test func theDefaultsLetTheSameInputsThrough() throws {
    let output = try Self.build([
      "kustomization.yaml": "resources: [a.yaml]\n",
      "a.yaml": Self.configMap.replacingOccurrences(of: "NAME", with: "c")
        + "data:\n  a: &a \(String(repeating: "y", count: 600))\n  b: *a\n  c: *a\n",
    ]) { _ in }
    #expect(output.contains("  c: yyyy"))
  }

  @Test(arguments: [
    ("file-bytes=2Mi", Limits.Name.fileBytes, 2 << 20), ("total-bytes=3Gi", .totalBytes, 3 << 30),
    ("resources=7", .resources, 7),
    ("alias-bytes=5Ki", .aliasBytes, 5 << 10), ("yaml-depth=10000", .yamlDepth, 10000),
  ])
  func limitsAreSetByName(assignment: String, name: Limits.Name, value: Int) throws {
    var limits = Limits()
    try limits.set(assignment)
    #expect(limits[name] == value)
  }

  @Test(arguments: [
    ("file-bytes", "expected NAME=VALUE"), ("bogus=1", "unknown limit 'bogus'"),
    ("resources=0", "needs a positive whole number"),
    ("resources=1Ki", "needs a positive whole number, not '1Ki'"), ("file-bytes=-1", "needs a positive whole number"),
    ("file-bytes=99999999999Gi", "needs a positive whole number"), ("yaml-depth=10001", "can be at most 10000"),
    ("file-bytes=9223372036854775807", "can be at most 1099511627776"),
  ])
  func badAssignmentsAreRefused(assignment: String, message: String) {
    var limits = Limits()
    let error = #expect(throws: LimitError.self) { try limits.set(assignment) }
    #expect(error?.message.contains(message) == true, "\(String(describing: error?.message))")
  }
}
