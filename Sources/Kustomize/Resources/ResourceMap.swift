import YAML

/// Resources in build order, indexed by id so that look-ups and duplicate checks
/// cost the same for four resources or four thousand.
public struct ResourceMap: Sendable {
  public private(set) var resources: [Resource] = []
  private var positions: [ResourceID: Int] = [:]

  public init() {}

  public var count: Int { resources.count }
  public var isEmpty: Bool { resources.isEmpty }

  /// Adds a resource; one whose id is already present is an error, as in kustomize.
  public mutating func append(_ resource: Resource) throws(SourceError) {
    let key = resource.id.key
    if let existing = positions[key] {
      throw SourceError(
        resource.source, "may not add resource with an already registered id: \(resource.id)",
        notes: ["\(resources[existing].source): note: first defined here"])
    }
    positions[key] = resources.count
    resources.append(resource)
  }

  public mutating func append(contentsOf other: ResourceMap) throws(SourceError) {
    for resource in other.resources { try append(resource) }
  }

  /// Adds a generated resource by its behavior: `create` appends it; `merge`
  /// and `replace` put it in the place of the resource it names (matched by
  /// any id that resource has had), merging data for `merge`.
  public mutating func absorb(
    _ resource: Resource, behavior: Kustomization.Generator.Behavior, at mark: Mark
  ) throws(SourceError) {
    let id = resource.id
    let matches = resources.indices.filter { index in
      resources[index].allIDs.contains { $0.gvk == id.gvk && $0.name == id.name && $0.isNamespaceEqual(id) }
    }
    switch matches.count {
    case 0:
      guard behavior == .create else {
        throw SourceError(mark, "\(id.gvk.kind) '\(id.name)' has behavior '\(behavior.rawValue)' but there is no \(id.gvk.kind) of that name to \(behavior.rawValue) with")
      }
      try append(resource)
    case 1:
      let index = matches[0]
      let old = resources[index]
      switch behavior {
      case .create:
        throw SourceError(mark, "\(id.gvk.kind) '\(id.name)' already exists (from \(old.source)); use behavior 'merge' or 'replace'")
      case .merge:
        for field in ["data", "binaryData"] {
          guard let oldData = old.object[field]?.mapping else { continue }
          let merged = oldData.deepCopy()
          if let newData = resource.object[field]?.mapping {
            for entry in newData.entries { merged[entry.key.value] = entry.value }
          }
          resource.object[field] = .mapping(merged)
        }
        resource.takePlace(of: old)
        resource.origin = old.origin
      case .replace:
        resource.takePlace(of: old)
      }
      positions[old.id.key] = nil
      resources[index] = resource
      positions[resource.id.key] = index
    default:
      let ids = matches.map { resources[$0].id.description }.joined(separator: ", ")
      throw SourceError(mark, "several resources could take the \(behavior.rawValue) of \(id): \(ids)")
    }
  }

  /// Rebuilds the index after transformers changed names or namespaces;
  /// two resources that now share an id are an error.
  public mutating func reindex(after transformation: String) throws(SourceError) {
    positions.removeAll(keepingCapacity: true)
    for (index, resource) in resources.enumerated() {
      let key = resource.id.key
      if let existing = positions[key] {
        throw SourceError(
          resource.source, "\(transformation) gives two resources the same id: \(resource.id)",
          notes: ["\(resources[existing].source): note: the other resource"])
      }
      positions[key] = index
    }
  }

  /// Takes a resource out (a patch deleted it).
  public mutating func remove(_ resource: Resource) {
    resources.removeAll { $0 === resource }
    positions.removeAll(keepingCapacity: true)
    for (index, resource) in resources.enumerated() { positions[resource.id.key] = index }
  }

  /// Puts the resources in a new order (same set).
  public mutating func reorder(_ ordered: [Resource]) {
    resources = ordered
    positions.removeAll(keepingCapacity: true)
    for (index, resource) in resources.enumerated() { positions[resource.id.key] = index }
  }
}
