import YAML

/// One `replicas:` entry: sets `spec.replicas` of the workloads with that name.
public struct ReplicaTransformer: BuiltinTransformer {
  public static let kind = "ReplicaCountTransformer"
  public var replica: Kustomization.Replica
  public var fieldSpecs: [FieldSpec]
  public var mark: Mark? { replica.mark }

  public init(replica: Kustomization.Replica, fieldSpecs: [FieldSpec] = DefaultFieldSpecs.replicas) {
    self.replica = replica
    self.fieldSpecs = fieldSpecs
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    var found = false
    for spec in fieldSpecs {
      for resource in resources.resources(
        named: replica.name, where: { $0.name == replica.name && $0.gvk.isSelected(by: spec.gvk) })
      {
        found = true
        try spec.visit(resource.object, creating: .scalar) { (parent, index) throws(Diagnostic) in
          parent.entries[index].value = .scalar(Scalar(String(replica.count), kind: .int))
        }
      }
    }
    if !found {
      let kinds = fieldSpecs.map(\.gvk.kind).joined(separator: ", ")
      throw Diagnostic(replica.mark, "replicas: no resource named '\(replica.name)' of kind \(kinds)")
    }
  }
}
