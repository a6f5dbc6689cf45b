import YAML

/// What the reference cannot write back: kustomize turns each resource into
/// JSON and reads it again with a YAML reader that allows a map key of at most
/// 1,024 characters, so a key longer than that in JSON form (quotes and Go's
/// escapes included) fails its build. mrgen refuses it too, at the key.
enum KeyLengthCheck {
  static let limit = 1024

  static func check(_ resources: ResourceMap) throws(Diagnostic) {
    for resource in resources.resources { try check(.mapping(resource.object)) }
  }

  static func check(_ node: Node) throws(Diagnostic) {
    switch node {
    case .scalar:
      return
    case .sequence(let list):
      for item in list.items { try check(item) }
    case .mapping(let map):
      for entry in map.entries {
        // A key of 170 bytes or fewer is at most 1,022 characters once escaped (6 per byte, 2 quotes).
        if entry.key.value.utf8.count > (limit - 2) / 6 {
          let length = JSONWriter.encodedLength(entry.key.value)
          if length > limit {
            throw Diagnostic(
              entry.key.mark,
              "this key is \(length) characters long as JSON, over the \(limit) the reference's YAML reader takes back; kustomize fails on it"
            )
          }
        }
        try check(entry.value)
      }
    }
  }
}
