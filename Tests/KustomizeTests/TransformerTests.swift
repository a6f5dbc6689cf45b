import Kustomize
import Testing
import YAML

/// One suite per transformer: rows of input YAML and what the transformer makes of it.
@Suite struct NamespaceTransformerTests {
  @Test func movesNamespacedResourcesOnly() throws {
    var map = try resources(
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: a, namespace: old}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRole
      metadata: {name: r}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: placeholder}
      """)
    try NamespaceTransformer(namespace: "prod").apply(to: &map)
    let all = map.resources
    #expect(all[0].namespace == "prod")
    #expect(all[1].namespace == "")
    #expect(all[2].name == "prod", "a core Namespace takes the namespace as its name")
    #expect(all[0].previousIDs.first?.namespace == "old")
  }

  @Test func setsSubjectsNamedDefaultAndAPIServiceNamespace() throws {
    var map = try resources(
      """
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: b}
      subjects:
      - {kind: ServiceAccount, name: default}
      - {kind: ServiceAccount, name: other, namespace: keep}
      ---
      apiVersion: apiregistration.k8s.io/v1
      kind: APIService
      metadata: {name: v1.x}
      spec: {service: {name: s}}
      """)
    try NamespaceTransformer(namespace: "prod").apply(to: &map)
    let subjects = try #require(map.resources[0].object["subjects"]?.sequence?.items)
    #expect(subjects[0].mapping?.string("namespace") == "prod")
    #expect(subjects[1].mapping?.string("namespace") == "keep")
    #expect(map.resources[1].object["spec"]?.mapping?["service"]?.mapping?.string("namespace") == "prod")
  }

  @Test func aConflictingIdIsAnError() throws {
    var map = try resources(
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: a, namespace: x}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: a, namespace: y}
      """)
    #expect(throws: Diagnostic.self) { try NamespaceTransformer(namespace: "z").run(on: &map) }
  }
}

@Suite struct PrefixSuffixTransformerTests {
  @Test func renamesAllButSkippedKinds() throws {
    var map = try resources(
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      ---
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: things.example.com}
      ---
      apiVersion: v1
      kind: Namespace
      metadata: {name: ns}
      """)
    try PrefixSuffixTransformer(prefix: "p-", suffix: "-s").apply(to: &map)
    #expect(map.resources.map(\.name) == ["p-web-s", "things.example.com", "ns"])
    #expect(map.resources[0].prefixes == ["p-"])
    #expect(map.resources[0].previousIDs.map(\.name) == ["web"])
  }
}

@Suite struct LabelTransformerTests {
  static let deployment = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: d}
    spec:
      selector: {matchLabels: {app: d}}
      template:
        metadata: {labels: {app: d}}
        spec: {containers: [{name: c, image: x}]}
    """

  @Test func metadataOnlyByDefault() throws {
    var map = try resources(Self.deployment)
    let label = Kustomization.Label(
      pairs: [("team", "a")], includeSelectors: false, includeTemplates: false, fields: [], mark: .generated)
    try LabelTransformer(label: label).apply(to: &map)
    let text = try yaml(map.resources[0])
    #expect(text.contains("labels:\n    team: a"))
    #expect(!text.contains("matchLabels:\n      app: d\n      team: a"))
    #expect(text.contains("matchLabels:\n      app: d\n"))
  }

  @Test func templatesWithIncludeTemplates() throws {
    var map = try resources(Self.deployment)
    let label = Kustomization.Label(
      pairs: [("team", "a")], includeSelectors: false, includeTemplates: true, fields: [], mark: .generated)
    try LabelTransformer(label: label).apply(to: &map)
    let template = map.resources[0].object["spec"]?.mapping?["template"]?.mapping?["metadata"]?.mapping?["labels"]?
      .mapping
    #expect(template?.string("team") == "a")
    #expect(
      map.resources[0].object["spec"]?.mapping?["selector"]?.mapping?["matchLabels"]?.mapping?.string("team") == nil)
  }

  @Test func selectorsWithIncludeSelectorsAndCommonLabels() throws {
    var map = try resources(Self.deployment + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n")
    try LabelTransformer(pairs: [("env", "prod")], fieldSpecs: DefaultFieldSpecs.commonLabels).apply(to: &map)
    #expect(
      map.resources[0].object["spec"]?.mapping?["selector"]?.mapping?["matchLabels"]?.mapping?.string("env") == "prod")
    #expect(
      map.resources[1].object["spec"]?.mapping?["selector"]?.mapping?.string("env") == "prod",
      "a Service gets a selector created")
  }
}

@Suite struct AnnotationTransformerTests {
  @Test func annotatesResourcesAndPodTemplates() throws {
    var map = try resources(LabelTransformerTests.deployment)
    try AnnotationTransformer(pairs: [("note", "1")]).apply(to: &map)
    let text = try yaml(map.resources[0])
    #expect(text.contains("annotations:\n    note: \"1\""))
    #expect(text.contains("template:\n    metadata:\n      annotations:\n        note: \"1\""))
  }
}

@Suite struct ImageTransformerTests {
  static func image(_ name: String, newName: String? = nil, newTag: String? = nil, digest: String? = nil)
    -> Kustomization.Image
  {
    Kustomization.Image(name: name, newName: newName, newTag: newTag, digest: digest, mark: .generated)
  }

  static func apply(_ image: Kustomization.Image, to reference: String) throws -> String {
    var map = try resources(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: \"\(reference)\"}]\n")
    try ImageTransformer(image: image).apply(to: &map)
    let containers = map.resources[0].object["spec"]?.mapping?["initContainers"]?.sequence?.items
    return containers?.first?.mapping?.string("image") ?? ""
  }

  @Test(arguments: [
    (image("nginx", newTag: "2"), "nginx", "nginx:2"),
    (image("nginx", newTag: "2"), "nginx:1@sha256:abc", "nginx:2"),
    (image("nginx", digest: "sha256:def"), "nginx:1", "nginx@sha256:def"),
    (image("nginx", newName: "mirror/nginx"), "nginx:1", "mirror/nginx:1"),
    (image("nginx", newTag: "2", digest: "sha256:d"), "nginx", "nginx:2@sha256:d"),
    (image("nginx", newTag: "2"), "docker.io/nginx:1", "docker.io/nginx:1"),
    (image("localhost:5000/app", newTag: "2"), "localhost:5000/app:1", "localhost:5000/app:2"),
    (image("quay.io/x", newName: "q"), "quayXio/x:1", "q:1"),
  ])
  func rewritesMatchingImages(_ row: (Kustomization.Image, String, String)) throws {
    #expect(try Self.apply(row.0, to: row.1) == row.2)
  }
}

@Suite struct ReplicaTransformerTests {
  @Test func setsCountsByCurrentOrPreviousName() throws {
    var map = try resources("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1}\n")
    try PrefixSuffixTransformer(prefix: "p-", suffix: "").apply(to: &map)
    try ReplicaTransformer(replica: .init(name: "web", count: 4, mark: .generated)).apply(to: &map)
    #expect(try yaml(map.resources[0]).contains("replicas: 4"))
  }

  @Test func noMatchIsAnError() throws {
    var map = try resources("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n")
    #expect(throws: Diagnostic.self) {
      try ReplicaTransformer(replica: .init(name: "web", count: 4, mark: .generated)).apply(to: &map)
    }
  }
}

@Suite struct NameReferenceTransformerTests {
  @Test func referencesFollowRenames() throws {
    var map = try resources(
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            containers:
            - name: c
              envFrom: [{configMapRef: {name: settings}}, {configMapRef: {name: unrelated}}]
      """)
    try PrefixSuffixTransformer(prefix: "p-", suffix: "").apply(to: &map)
    try NameReferenceTransformer().apply(to: &map)
    let text = try yaml(map.resources[1])
    #expect(text.contains("name: p-settings"))
    #expect(text.contains("name: unrelated"))
  }

  @Test func subjectsTakeNameAndNamespace() throws {
    var map = try resources(
      """
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: sa}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: b}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}
      subjects: [{kind: ServiceAccount, name: sa, namespace: default}]
      """)
    try NamespaceTransformer(namespace: "prod").apply(to: &map)
    try PrefixSuffixTransformer(prefix: "p-", suffix: "").apply(to: &map)
    try NameReferenceTransformer().apply(to: &map)
    let subject = map.resources[1].object["subjects"]?.sequence?.items.first?.mapping
    #expect(subject?.string("name") == "p-sa")
    #expect(subject?.string("namespace") == "prod")
  }
}

@Suite struct OrderTransformerTests {
  static let mixed = """
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: b}
    ---
    apiVersion: admissionregistration.k8s.io/v1
    kind: ValidatingWebhookConfiguration
    metadata: {name: w}
    ---
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: z}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: a}
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: n}
    """

  @Test func legacyOrder() throws {
    var map = try resources(Self.mixed)
    try OrderTransformer(options: nil).apply(to: &map)
    #expect(map.resources.map(\.name) == ["n", "s", "a", "b", "z", "w"])
  }

  @Test func fifoKeepsInputOrder() throws {
    var map = try resources(Self.mixed)
    try OrderTransformer(options: .init(order: .fifo, mark: .generated)).apply(to: &map)
    #expect(map.resources.map(\.name) == ["b", "w", "z", "s", "a", "n"])
  }

  @Test func customFirstAndLast() throws {
    var map = try resources(Self.mixed)
    try OrderTransformer(
      options: .init(order: .legacy, orderFirst: ["Widget"], orderLast: ["Namespace"], mark: .generated)
    )
    .apply(to: &map)
    #expect(map.resources.map(\.name) == ["z", "w", "a", "b", "s", "n"])
  }
}
