import YAML

/// `namespace:`: moves every namespaced resource, renames `Namespace` objects,
/// points namespaced service references and `default`-named subjects at it.
public struct NamespaceTransformer: BuiltinTransformer {
  public static let kind = "NamespaceTransformer"
  public var namespace: String
  public var fieldSpecs: [FieldSpec]
  public var mark: Mark?
  public var action: String { "setting the namespace to '\(namespace)'" }

  public init(namespace: String, fieldSpecs: [FieldSpec] = DefaultFieldSpecs.namespace, mark: Mark? = nil) {
    self.namespace = namespace
    self.fieldSpecs = fieldSpecs
    self.mark = mark
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    guard !namespace.isEmpty else { return }
    for resource in resources.resources where !resource.object.entries.isEmpty {
      try resources.update(resource, keepingPreviousID: true, move)
    }
  }

  private func move(_ resource: Resource) throws(Diagnostic) {
    if !resource.gvk.isClusterScoped, resource.namespace != namespace {
      resource.object.mapping(creating: "metadata").setString("namespace", namespace)
    }
    try setDefaultSubjects(of: resource)
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
        parent.entries[index].value = .scalar(.string(namespace))
      }
    }
  }

  /// kustomize's default for binding subjects: only those named `default` move.
  private func setDefaultSubjects(of resource: Resource) throws(Diagnostic) {
    let kind = resource.gvk.kind
    guard kind == "RoleBinding" || kind == "ClusterRoleBinding",
      case .sequence(let subjects)? = resource.object["subjects"]
    else { return }
    for case .mapping(let subject) in subjects.items where subject["name"]?.scalar?.value == "default" {
      subject.setString("namespace", namespace)
    }
  }
}
