import YAML

/// The output order: kustomize's `legacy` order (listed kinds first and last,
/// the rest by type, then namespace and name) or `fifo` (as accumulated).
public struct OrderTransformer: Transformer {
  public static let defaultOrderFirst = [
    "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
    "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
    "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
    "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
  ]
  public static let defaultOrderLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

  public var options: Kustomization.SortOptions?

  public var action: String { "sorting" }

  public init(options: Kustomization.SortOptions?) {
    self.options = options
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    if options?.order == .fifo { return }
    let first = options?.orderFirst ?? OrderTransformer.defaultOrderFirst
    let last = options?.orderLast ?? OrderTransformer.defaultOrderLast
    var rank: [String: Int] = [:]
    for (index, kind) in first.enumerated() { rank[kind] = index - first.count }
    for (index, kind) in last.enumerated() { rank[kind] = index + 1 }
    let keys = resources.resources.map { SortKey($0, rank: rank) }
    let order = keys.indices.sorted { keys[$0] < keys[$1] }
    resources.reorder(order.map { resources.resources[$0] })
  }

  /// Precomputed so that sorting compares bytes, not resources.
  private struct SortKey: Comparable {
    var rank: Int
    var gvk: GVK
    var typeText: [UInt8]
    var isCoreNamespace: Bool
    var idText: [UInt8]

    init(_ resource: Resource, rank: [String: Int]) {
      let gvk = resource.gvk
      self.gvk = gvk
      self.rank = rank[gvk.kind] ?? 0
      typeText = Array(
        "\(gvk.group.isEmpty ? "~G" : gvk.group)_\(gvk.version.isEmpty ? "~V" : gvk.version)_\(gvk.kind.isEmpty ? "~K" : gvk.kind)"
          .utf8)
      isCoreNamespace = gvk.kind == "Namespace"
      let namespace = resource.namespace.isEmpty ? "~X" : resource.namespace
      let name = resource.name.isEmpty ? "~N" : resource.name
      idText = Array("\(gvk)|\(namespace)|\(name)".utf8)
    }

    static func < (lhs: SortKey, rhs: SortKey) -> Bool {
      if lhs.gvk != rhs.gvk {
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        // kustomize puts a core Namespace after same-ranked Namespace kinds of other groups.
        if lhs.isCoreNamespace && rhs.isCoreNamespace && (lhs.gvk.group.isEmpty || rhs.gvk.group.isEmpty) {
          return rhs.typeText.lexicographicallyPrecedes(lhs.typeText)
        }
        return lhs.typeText.lexicographicallyPrecedes(rhs.typeText)
      }
      return lhs.idText.lexicographicallyPrecedes(rhs.idText)
    }

    static func == (lhs: SortKey, rhs: SortKey) -> Bool {
      lhs.gvk == rhs.gvk && lhs.idText == rhs.idText
    }
  }
}
