import Output
import Testing

/// The summary `mrgen check` prints: resources changed, added and removed, by kind/namespace/name.
@Suite struct RenderChangesTests {
  static let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: a\nspec: {}\n"
  static let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"web\"\n"
  static let role = "apiVersion: v1\nkind: ClusterRole\nmetadata:\n  labels:\n    name: not-this\n  name: r\n"

  /// Rows of (old stream, new stream, changed, added, removed).
  static let rows: [(old: String, new: String, changed: [String], added: [String], removed: [String])] = [
    (deployment + "---\n" + service, deployment + "---\n" + service, [], [], []),
    (
      deployment + "---\n" + service, deployment.replacingOccurrences(of: "{}", with: "{replicas: 2}") + "---\n" + role,
      ["Deployment/a/web"], ["ClusterRole/r"], ["Service/web"]
    ),
    // A document edited into invalid YAML is still named by its lines.
    (deployment.replacingOccurrences(of: "spec: {}", with: "spec: [x"), deployment, ["Deployment/a/web"], [], []),
    ("", "kind: List\n", [], ["document 1"], []),
    // Two kinds of one name in different API groups are told apart by the group.
    (
      "apiVersion: a.example/v1\nkind: Thing\nmetadata:\n  name: t\nspec: 1\n",
      "apiVersion: b.example/v1\nkind: Thing\nmetadata:\n  name: t\nspec: 1\n", [], ["Thing/t"], ["Thing/t"]
    ),
  ]

  @Test(arguments: rows.indices)
  func namesWhatDrifted(_ index: Int) {
    let row = Self.rows[index]
    let changes = RenderChanges(old: row.old, new: row.new)
    #expect(changes.changed == row.changed)
    #expect(changes.added == row.added)
    #expect(changes.removed == row.removed)
    #expect(changes.text.isEmpty == (row.changed.isEmpty && row.added.isEmpty && row.removed.isEmpty))
  }
}
