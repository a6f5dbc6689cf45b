import YAML

/// Runs once at the end of a build: every field that names another resource
/// (a ConfigMap in a volume, a ServiceAccount in a binding...) is updated to
/// that resource's final name, and for map references also its namespace.
///
/// Candidates are found through an index of previous names, so the pass costs
/// the number of reference fields, not the square of the resource count.
public struct NameReferenceTransformer: Transformer {
  public var table: [NameReferenceSpecs.Entry]
  public var action: String { "updating name references" }

  public init(table: [NameReferenceSpecs.Entry] = NameReferenceSpecs.defaults) {
    self.table = table
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    let all = resources.resources
    var byPreviousName: [String: [Int]] = [:]
    for (position, resource) in all.enumerated() {
      var names: Set<String> = []
      for id in resource.previousIDs where names.insert(id.name).inserted {
        byPreviousName[id.name, default: []].append(position)
      }
    }
    guard !byPreviousName.isEmpty else { return }
    for referrer in all {
      let referrerGVK = referrer.originalID.gvk
      for entry in table {
        for spec in entry.referrers where referrerGVK.isSelected(by: spec.gvk) {
          let update = ReferenceUpdate(
            referrer: referrer, target: entry.target, spec: spec, resources: all, byPreviousName: byPreviousName)
          try spec.visit(referrer.object, creating: nil) { (parent, index) throws(Diagnostic) in
            try update.set(parent, index)
          }
        }
      }
    }
  }
}

/// Updates the reference fields one field spec reaches in one referrer.
private struct ReferenceUpdate {
  let referrer: Resource
  let target: GVK
  let spec: FieldSpec
  let resources: [Resource]
  let byPreviousName: [String: [Int]]

  func set(_ parent: Mapping, _ index: Int) throws(Diagnostic) {
    switch parent.entries[index].value {
    case .scalar(let scalar):
      if let newName = try newName(for: scalar) { parent.entries[index].value = .scalar(newName) }
    case .mapping(let reference):
      try setMapping(reference)
    case .sequence(let sequence):
      for (position, item) in sequence.items.enumerated() {
        switch item {
        case .scalar(let scalar):
          if let newName = try newName(for: scalar) { sequence.items[position] = .scalar(newName) }
        case .mapping(let reference):
          try setMapping(reference)
        case .sequence:
          break
        }
      }
    }
  }

  private func newName(for scalar: Scalar) throws(Diagnostic) -> Scalar? {
    guard scalar.kind != .null else { return nil }
    let candidates = self.candidates(named: scalar.value, in: nil)
    guard let referral = try select(scalar.value, candidates, mark: scalar.mark, sameNamespace: false),
      referral.name != scalar.value
    else { return nil }
    return .string(referral.name, mark: scalar.mark)
  }

  /// A `{name, namespace}` map, as in binding subjects and webhook services.
  private func setMapping(_ reference: Mapping) throws(Diagnostic) {
    guard let nameNode = reference["name"], case .scalar(let nameScalar) = nameNode else {
      throw Diagnostic(reference.mark, "a name reference at '\(spec.pathText)' has no 'name' field")
    }
    let oldName = nameScalar.value
    let namespace = reference["namespace"]?.scalar?.value
    let candidates = self.candidates(named: oldName, in: namespace)
    guard let referral = try select(oldName, candidates, mark: nameScalar.mark, sameNamespace: true) else { return }
    if referral.name == oldName && referral.namespace.isEmpty { return }
    reference.setString("name", referral.name)
    if !referral.namespace.isEmpty { reference.setString("namespace", referral.namespace) }
  }

  /// Resources that once had the name and that the referrer may reach:
  /// cluster-scoped ones, ones in its namespace, and for a RoleBinding the
  /// namespaces of its ServiceAccount subjects. A map reference with a
  /// namespace keeps those first in it, else those now in it.
  private func candidates(named name: String, in namespace: String?) -> [Resource] {
    guard let positions = byPreviousName[name] else { return [] }
    var reachable = positions.map { resources[$0] }
    let referrerID = referrer.id
    if !referrerID.gvk.isClusterScoped {
      let subjectNamespaces = roleBindingSubjectNamespaces()
      reachable = reachable.filter { candidate in
        let id = candidate.id
        return id.gvk.isClusterScoped || id.isNamespaceEqual(referrerID)
          || subjectNamespaces.contains(candidate.namespace)
      }
    }
    guard let namespace else { return reachable }
    let byOriginal = reachable.filter {
      !$0.gvk.isClusterScoped && $0.originalID.effectiveNamespaceAsStored == namespace
    }
    if !byOriginal.isEmpty { return byOriginal }
    return reachable.filter { !$0.gvk.isClusterScoped && $0.id.effectiveNamespace == namespace }
  }

  private func roleBindingSubjectNamespaces() -> Set<String> {
    guard referrer.gvk.kind == "RoleBinding", case .sequence(let subjects)? = referrer.object["subjects"] else {
      return []
    }
    var namespaces: Set<String> = []
    for case .mapping(let subject) in subjects.items where subject.string("kind") == "ServiceAccount" {
      if let namespace = subject.string("namespace") { namespaces.insert(namespace) }
    }
    return namespaces
  }

  /// kustomize's sieve: previous name, target type, roleRef kind, namespace;
  /// then equal prefixes and suffixes; ambiguity is an error.
  private func select(_ oldName: String, _ candidates: [Resource], mark: Mark, sameNamespace: Bool) throws(Diagnostic)
    -> Resource?
  {
    let roleRefGVK = roleRefTarget()
    let referrerID = referrer.id
    var sieved = candidates.filter { candidate in
      candidate.previousIDs.contains { $0.name == oldName }
        && candidate.previousIDs.contains { $0.gvk.isSelected(by: target) }
        && (roleRefGVK.map { gvk in candidate.previousIDs.contains { $0.gvk.isSelected(by: gvk) } } ?? true)
        && (referrerID.gvk.isClusterScoped || candidate.gvk.isClusterScoped || candidate.gvk.kind == "ServiceAccount"
          || referrerID.isNamespaceEqual(candidate.id))
    }
    if sieved.count == 1 { return sieved[0] }
    sieved = sieved.filter { $0.prefixes == referrer.prefixes && $0.suffixes == referrer.suffixes }
    if sieved.count == 1 { return sieved[0] }
    guard let first = sieved.first else { return nil }
    let identical = sieved.allSatisfy {
      $0.name == first.name && (!sameNamespace || $0.namespace == first.namespace)
    }
    if identical { return first }
    let ids = sieved.map { $0.id.description }.joined(separator: ", ")
    throw Diagnostic(mark, "the reference '\(oldName)' in \(referrer.id) matches several resources: \(ids)")
  }

  private func roleRefTarget() -> GVK? {
    guard spec.path.count >= 2, spec.path.suffix(2) == ["roleRef", "name"],
      let roleRef = referrer.object["roleRef"]?.mapping,
      let group = roleRef["apiGroup"]?.scalar?.value, let kind = roleRef["kind"]?.scalar?.value
    else { return nil }
    return GVK(group: group, kind: kind)
  }
}

extension ResourceID {
  /// Stored previous ids already spell the namespace effectively.
  var effectiveNamespaceAsStored: String {
    namespace.isEmpty ? effectiveNamespace : namespace
  }
}
