import Kustomize
import Output
import Testing
import YAML

/// The names `-o DIR/` gives each resource, as `kubectl kustomize -o DIR` (v5.6.0) names them.
@Suite struct FileNameTests {
  static func map(_ text: String) throws -> ResourceMap {
    var map = ResourceMap()
    for document in try Parser().parse(text, file: "r.yaml") {
      guard case .mapping(let object) = document else { continue }
      try map.append(Resource(object: object, source: object.mark))
    }
    return map
  }

  /// Rows of (resources, the file names expected), in build order.
  static let rows: [(resources: String, names: [String])] = [
    (
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Web}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
      ["apps_v1_deployment_web.yaml", "v1_service_web.yaml"]
    ),
    // Once the resources span two namespaces, each name starts with its namespace (`default` for none).
    (
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
      ["a_v1_configmap_c.yaml", "default_v1_configmap_c.yaml"]
    ),
    (
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\n",
      ["rbac.authorization.k8s.io_v1_clusterrole_r.yaml"]
    ),
    // Cluster-scoped resources are neither prefixed nor counted as a namespace.
    (
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
      ["v1_configmap_c.yaml", "v1_namespace_a.yaml"]
    ),
    (
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: A}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: R}\n",
      ["a_v1_configmap_c.yaml", "default_v1_configmap_c.yaml", "rbac.authorization.k8s.io_v1_clusterrole_r.yaml"]
    ),
  ]

  @Test(arguments: rows.indices)
  func namesEachResourceAsTheReferenceDoes(_ index: Int) throws {
    #expect(try OutputWriter.fileNames(for: try Self.map(Self.rows[index].resources)) == Self.rows[index].names)
  }

  /// Rows of (resources, words the refusal must hold): names the writer must not use.
  static let refusals: [(resources: String, words: String)] = [
    ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a/b}\n", "would hold '/' or NUL"),
    (
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(String(repeating: "x", count: 250))}\n",
      "longer than 255 bytes"
    ),
    (
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Same}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n",
      "would both be written to 'v1_configmap_same.yaml'"
    ),
  ]

  @Test(arguments: refusals.indices)
  func refusesANameItCannotWrite(_ index: Int) throws {
    let map = try Self.map(Self.refusals[index].resources)
    let error = #expect(throws: Diagnostic.self) { try OutputWriter.fileNames(for: map) }
    #expect(error?.message.contains(Self.refusals[index].words) == true, "\(error?.message ?? "")")
    #expect(error?.mark.line ?? 0 > 0)
  }
}
