import YAML

/// One step of a concrete path into an object: a map key or a list position.
enum PathStep: Hashable, Sendable {
  case key(String)
  case index(Int)
}

/// A value kustomize holds once and places in several fields of a resource.
///
/// When kustomize's label or annotation setter adds a key to several maps of a
/// resource in one run (`metadata.labels`, the selector, the pod template's
/// labels), every new field points at the same YAML node; later writes change
/// that node in place (another label setter, a strategic merge patch), so a
/// label changed in one place changes in all. A JSON patch rebuilds the resource
/// and ends the sharing. mrgen keeps the places here and, after each
/// transformer, carries a change made in one of them to the others.
struct SharedValue {
  /// The maps (by their path from the object) and the key in each.
  var places: [(map: [PathStep], key: String)]
  /// The value all places held after the last transformer.
  var value: Scalar
}

extension Resource {
  /// After a transformer: a shared value written in some of its places (the
  /// last written in document order wins) is written in the others too.
  func propagateSharedValues() {
    guard !sharedValues.isEmpty else { return }
    for index in sharedValues.indices {
      var shared = sharedValues[index]
      // Places that no longer hold a scalar under the key have left the sharing.
      shared.places.removeAll { place in
        guard let map = Resource.mapping(at: place.map, in: object), case .scalar? = map[place.key] else { return true }
        return false
      }
      let current = shared.places.compactMap { place in Resource.mapping(at: place.map, in: object)?[place.key]?.scalar
      }
      if let written = current.last(where: { $0.value != shared.value.value || $0.kind != shared.value.kind }) {
        for place in shared.places {
          Resource.mapping(at: place.map, in: object)?[place.key] = .scalar(written)
        }
        shared.value = written
      }
      sharedValues[index] = shared
    }
    sharedValues.removeAll { $0.places.count < 2 }
  }

  static func mapping(at path: [PathStep], in object: Mapping) -> Mapping? {
    var node = Node.mapping(object)
    for step in path {
      switch (step, node) {
      case (.key(let key), .mapping(let map)):
        guard let next = map[key] else { return nil }
        node = next
      case (.index(let position), .sequence(let list)):
        guard list.items.indices.contains(position) else { return nil }
        node = list.items[position]
      default:
        return nil
      }
    }
    return node.mapping
  }
}
