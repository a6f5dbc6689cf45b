import Kustomize
import Testing
import YAML

func document(_ text: String) throws -> Node {
  try #require(try Parser().parse(text, file: "doc.yaml").first)
}

/// One test per JSON patch operation, and the pointer rules.
@Suite struct JSONPatchTests {
  static let base = "a:\n  b: 1\n  list: [x, y]\nc: keep\n"

  func apply(_ operations: String, to text: String = base) throws -> String {
    var node = try document(text)
    try JSONPatch(try document(operations)).apply(to: &node)
    return try Emitter().emitString([node])
  }

  @Test func add() throws {
    #expect(
      try apply("- {op: add, path: /a/new, value: 2}") == "a:\n  b: 1\n  list:\n  - x\n  - \"y\"\n  new: 2\nc: keep\n")
    #expect(try apply("- {op: add, path: /a/list/-, value: z}").contains("  - z\n"))
    #expect(try apply("- {op: add, path: /a/list/0, value: w}").contains("  list:\n  - w\n  - x\n"))
  }

  @Test func remove() throws {
    #expect(try apply("- {op: remove, path: /a/b}") == "a:\n  list:\n  - x\n  - \"y\"\nc: keep\n")
  }

  @Test func replace() throws {
    #expect(try apply("- {op: replace, path: /c, value: [1]}").contains("c:\n- 1\n"))
    // kustomize's library lets replace set a missing key of an existing map.
    #expect(try apply("- {op: replace, path: /a/missing, value: v}").contains("  missing: v\n"))
  }

  @Test func moveAndCopy() throws {
    #expect(try apply("- {op: move, from: /a/b, path: /moved}") == "a:\n  list:\n  - x\n  - \"y\"\nc: keep\nmoved: 1\n")
    #expect(try apply("- {op: copy, from: /a/list, path: /copied}").contains("copied:\n- x\n- \"y\"\n"))
  }

  @Test func testOperation() throws {
    #expect(try apply("- {op: test, path: /a/b, value: 1}") == (try Emitter().emitString([try document(Self.base)])))
    #expect(throws: Diagnostic.self) { try apply("- {op: test, path: /a/b, value: 2}") }
  }

  @Test func pointerEscapes() throws {
    let out = try apply("- {op: add, path: /a/x~1y~0z, value: 1}")
    #expect(out.contains("  x/y~z: 1\n"))
  }

  @Test func badPointersAreErrorsWithTheOperationsLine() throws {
    let error = #expect(throws: Diagnostic.self) {
      try apply("- {op: add, path: /a/b, value: 1}\n- {op: remove, path: /nope/deeper}")
    }
    #expect(error?.mark.line == 2)
    #expect(throws: Diagnostic.self) { try apply("- {op: add, path: /a/list/9, value: 1}") }
    #expect(throws: Diagnostic.self) { try apply("- {op: add, path: no-slash, value: 1}") }
    #expect(throws: Diagnostic.self) { try apply("- {op: frobnicate, path: /a}") }
  }

  @Test func yamlValuesReadAsYAML11() throws {
    #expect(try apply("- {op: add, path: /flag, value: yes}").contains("flag: true\n"))
  }
}

/// Strategic merge patches: one test per rule and directive, as kustomize applies them.
@Suite struct StrategicMergeTests {
  func merge(_ patch: String, into text: String, gvk: GVK = GVK(group: "apps", version: "v1", kind: "Deployment"))
    throws -> String
  {
    let patchMap = try #require(try document(patch).mapping)
    let object = try #require(try document(text).mapping)
    guard let result = try StrategicMergePatch(patchMap).apply(to: object, gvk: gvk) else { return "<deleted>" }
    return try Emitter().emitString([.mapping(result)])
  }

  static let deployment = """
    metadata: {name: d, finalizers: [a, b], labels: {x: "1"}}
    spec:
      template:
        spec:
          containers:
          - {name: main, image: m, args: [one]}
          - {name: side, image: s}
          tolerations: [{key: k1}]
    """

  @Test func mapsMergeAndNullDeletes() throws {
    let out = try merge("metadata: {labels: {x: null, y: \"2\"}}", into: Self.deployment)
    #expect(out.contains("  labels:\n    \"y\": \"2\"\n"))
  }

  @Test func mergeKeyListsPutPatchItemsFirst() throws {
    let out = try merge(
      "spec: {template: {spec: {containers: [{name: new, image: n}, {name: main, image: m2}]}}}", into: Self.deployment)
    #expect(
      out.contains(
        "containers:\n      - image: \"n\"\n        name: new\n      - args:\n        - one\n        image: m2\n        name: main\n      - image: s\n        name: side\n"
      ))
  }

  @Test func listsWithoutMergeKeyAreReplaced() throws {
    let out = try merge("spec: {template: {spec: {tolerations: [{key: k2}]}}}", into: Self.deployment)
    #expect(out.contains("tolerations:\n      - key: k2\n"))
    #expect(!out.contains("k1"))
  }

  @Test func mergingScalarListsIsAUnion() throws {
    let out = try merge("metadata: {finalizers: [c, a]}", into: Self.deployment)
    #expect(out.contains("finalizers:\n  - c\n  - a\n  - b\n"))
  }

  @Test func patchDeleteDirective() throws {
    let out = try merge("spec: {template: {spec: {containers: [{name: side, $patch: delete}]}}}", into: Self.deployment)
    #expect(!out.contains("side"))
    #expect(out.contains("containers:\n      - args:\n        - one\n        image: m\n        name: main\n"))
    #expect(try merge("$patch: delete\nmetadata: {name: d}", into: Self.deployment) == "<deleted>")
  }

  @Test func patchReplaceDirective() throws {
    let map = try merge("metadata: {labels: {$patch: replace, only: here}}", into: Self.deployment)
    #expect(map.contains("labels:\n    only: here\n"))
    let list = try merge(
      "spec: {template: {spec: {containers: [{$patch: replace}, {name: solo, image: x}]}}}", into: Self.deployment)
    #expect(list.contains("containers:\n      - image: x\n        name: solo\n      tolerations"))
  }

  @Test func otherDirectivesPassThroughAsKustomizeLeavesThem() throws {
    let out = try merge("metadata: {$deleteFromPrimitiveList/finalizers: [a]}", into: Self.deployment)
    #expect(out.contains("$deleteFromPrimitiveList/finalizers:\n  - a\n"))
    #expect(out.contains("finalizers:\n  - a\n  - b\n"))
  }

  @Test func customResourcesHaveNoSchemaSoListsReplace() throws {
    let out = try merge(
      "spec: {items: [{name: c}]}", into: "spec: {items: [{name: a}, {name: b}]}",
      gvk: GVK(group: "example.com", version: "v1", kind: "Widget"))
    #expect(out == "spec:\n  items:\n  - name: c\n")
  }

  @Test func emptyFieldsOfTheResourceAreDropped() throws {
    let out = try merge(
      "metadata: {labels: {y: \"2\"}}", into: "metadata:\n  name: d\n  annotations:\n  labels: {}\nspec:\n  keep: ~\n")
    #expect(!out.contains("annotations"))
    #expect(out.contains("labels:\n    \"y\": \"2\"\n  name: d\n"))
    #expect(out.contains("keep: null"))
  }
}

/// Replacement options, end to end on small trees (outputs as kustomize gave them).
@Suite struct ReplacementTests {
  static let resources = """
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: src}
    data: {image: "repo/app:1.2", num: "3"}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      replicas: 1
      template:
        spec:
          containers:
          - {name: main, image: "nginx:1.0"}
    """

  func build(_ replacements: String) throws -> String {
    try render(["kustomization.yaml": "resources: [r.yaml]\nreplacements:\n" + replacements, "r.yaml": Self.resources])
  }

  @Test func delimiterAndIndex() throws {
    let out = try build(
      """
      - source: {kind: ConfigMap, name: src, fieldPath: data.image, options: {delimiter: ":", index: 1}}
        targets:
        - select: {kind: Deployment}
          fieldPaths: ["spec.template.spec.containers.[name=main].image"]
          options: {delimiter: ":", index: 1}
      """)
    #expect(out.contains("image: nginx:1.2\n"))
  }

  @Test func stringsLandInIntegerFieldsAsIntegers() throws {
    let out = try build(
      """
      - source: {kind: ConfigMap, name: src, fieldPath: data.num}
        targets:
        - select: {kind: Deployment}
          fieldPaths: [spec.replicas]
      """)
    #expect(out.contains("replicas: 3\n"))
  }

  @Test func createAddsMissingFields() throws {
    let out = try build(
      """
      - source: {kind: ConfigMap, name: src}
        targets:
        - select: {kind: Deployment}
          fieldPaths: [metadata.annotations.from]
          options: {create: true}
      """)
    #expect(out.contains("annotations:\n    from: src\n"))
  }

  @Test func rejectSkipsTargets() throws {
    let out = try build(
      """
      - source: {kind: ConfigMap, name: src}
        targets:
        - select: {kind: Deployment}
          reject: [{name: d}]
          fieldPaths: [metadata.annotations.from]
          options: {create: true}
        - select: {kind: ConfigMap}
          fieldPaths: [metadata.annotations.from]
          options: {create: true}
      """)
    // The Deployment is rejected; the ConfigMap, selected by a second target, is not.
    #expect(!out.contains("name: d\n  annotations"))
    #expect(out.contains("metadata:\n  annotations:\n    from: src\n  name: src\n"))
  }

  @Test func missingSourceNamesTheLine() throws {
    let error = #expect(throws: Diagnostic.self) {
      try build("- source: {kind: ConfigMap, name: nothere}\n  targets: [{select: {kind: Deployment}}]\n")
    }
    #expect(error?.mark.file == "kustomization.yaml")
    #expect(error?.mark.line == 3)
  }
}
