import YAML

/// `namespace:`: moves every namespaced resource, renames `Namespace` objects,
/// points namespaced service references and `default`-named subjects at it.
public struct NamespaceTransformer: BuiltinTransformer {
  public static let kind = "NamespaceTransformer"
  public var namespace: String
  public var fieldSpecs: [FieldSpec]
  public var mark: Mark?
  /// Only fields without a namespace take it (`unsetOnly`, a plugin option).
  public var unsetOnly = false
  public var subjects = RoleBindingSubjects.defaultOnly
  public var action: String { "setting the namespace to '\(namespace)'" }

  /// Which subjects of role bindings move (`setRoleBindingSubjects`).
  public enum RoleBindingSubjects: String, Sendable, CaseIterable {
    /// Subjects named `default`, as the `namespace:` field moves them.
    case defaultOnly
    /// Every subject of kind ServiceAccount.
    case allServiceAccounts
    case none
  }

  public init(
    namespace: String, fieldSpecs: [FieldSpec] = DefaultFieldSpecs.namespace, unsetOnly: Bool = false,
    subjects: RoleBindingSubjects = .defaultOnly, mark: Mark? = nil
  ) {
    self.namespace = namespace
    self.fieldSpecs = fieldSpecs
    self.unsetOnly = unsetOnly
    self.subjects = subjects
    self.mark = mark
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    guard !namespace.isEmpty else { return }
    for resource in resources.resources where !resource.object.entries.isEmpty {
      try resources.update(resource, keepingPreviousID: true, move)
    }
  }

  func move(_ resource: Resource) throws(Diagnostic) {
    if !resource.gvk.isClusterScoped, resource.namespace != namespace, !unsetOnly || resource.namespace.isEmpty {
      resource.object.mapping(creating: "metadata").setString("namespace", namespace)
    }
    try setSubjects(of: resource)
    let apiVersion = resource.object["apiVersion"]?.scalar?.value ?? ""
    for spec in fieldSpecs where spec.applies(to: resource.gvk) {
      // Only core `v1` Namespace objects take the namespace as their name.
      if spec.path == ["metadata", "name"] && apiVersion != "v1" { continue }
      try spec.visit(resource.object, creating: .scalar) { (parent, index) throws(Diagnostic) in
        let value = parent.entries[index].value
        guard case .scalar = value else {
          throw Diagnostic(
            value.mark, "namespace field '\(spec.pathText)' must be a scalar, not \(NodeDecoding.describe(value))")
        }
        if unsetOnly, let current = value.scalar, !current.value.isEmpty { return }
        parent.entries[index].value = .scalar(.string(namespace))
      }
    }
  }

  /// The subjects of role bindings that move: by default only those named `default`.
  private func setSubjects(of resource: Resource) throws(Diagnostic) {
    let kind = resource.gvk.kind
    guard subjects != .none, kind == "RoleBinding" || kind == "ClusterRoleBinding",
      case .sequence(let list)? = resource.object["subjects"]
    else { return }
    for case .mapping(let subject) in list.items {
      let moves =
        subjects == .defaultOnly
        ? subject["name"]?.scalar?.value == "default" : subject["kind"]?.scalar?.value == "ServiceAccount"
      guard moves else { continue }
      if unsetOnly, let current = subject["namespace"]?.scalar, !current.value.isEmpty { continue }
      subject.setString("namespace", namespace)
    }
  }
}
