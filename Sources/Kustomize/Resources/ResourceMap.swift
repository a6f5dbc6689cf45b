import YAML

/// Resources in build order, indexed by id so that look-ups and duplicate checks
/// cost the same for four resources or four thousand.
public struct ResourceMap: Sendable {
  public private(set) var resources: [Resource] = []
  private var positions: [ResourceID: Int] = [:]

  public init() {}

  public var count: Int { resources.count }
  public var isEmpty: Bool { resources.isEmpty }

  public func resource(with id: ResourceID) -> Resource? {
    positions[id.key].map { resources[$0] }
  }

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

  /// Puts the resources in a new order (same set).
  public mutating func reorder(_ ordered: [Resource]) {
    resources = ordered
    positions.removeAll(keepingCapacity: true)
    for (index, resource) in resources.enumerated() { positions[resource.id.key] = index }
  }
}
