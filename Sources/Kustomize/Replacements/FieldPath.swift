import YAML

/// A replacement's field path: `spec.template.spec.containers.[name=app].image`.
///
/// Segments split on dots, except inside brackets, so `[name=a.b]` and
/// `metadata.annotations.[example.com/key]` keep theirs. A segment is a map
/// key, a list selector `[key=value]` (or `[=value]` for a list of scalars),
/// a list index, or `*` for every item.
///
/// Where a path reads (a replacement's source, a var), a selector's value is
/// compared exactly; where it writes (a replacement's targets), it is a Go
/// regular expression that may match any part of the item's value, as the
/// reference reads it (`[name=cert]` reaches `cert` and `cert-extra`,
/// `[name=^cert$]` only the first); an item it creates takes the text itself.
struct FieldPath: Sendable, CustomStringConvertible {
  enum Segment: Sendable {
    case key(String)
    /// `pattern` is the value compiled by RE2, nil where RE2 refuses it (then compared exactly).
    case select(key: String, value: String, pattern: RE2?)
    case index(Int)
    case all
  }

  var segments: [Segment]
  let text: String

  init(_ text: String) {
    self.text = text
    segments = text.split(outside: ("[", "]"), on: ".").map { part in
      if part == "*" { return .all }
      if part.hasPrefix("[") && part.hasSuffix("]") {
        let inner = String(part.dropFirst().dropLast())
        if let equals = inner.firstIndex(of: "=") {
          let value = String(inner[inner.index(after: equals)...])
          return .select(key: String(inner[..<equals]), value: value, pattern: RE2(value))
        }
        return .key(inner)
      }
      if let index = Int(part), index >= 0, part.allSatisfy(\.isNumber) { return .index(index) }
      return .key(part)
    }
  }

  var description: String { text }

  /// The node at the path, when there is exactly one way to it.
  func lookup(in object: Mapping) -> Node? {
    var node = Node.mapping(object)
    for segment in segments {
      switch (segment, node) {
      case (.key(let key), .mapping(let map)):
        guard let next = map[key] else { return nil }
        node = next
      case (.select(let key, let value, _), .sequence(let list)):
        guard let next = list.items.first(where: { FieldPath.item($0, matches: key, value) }) else { return nil }
        node = next
      case (.index(let index), .sequence(let list)):
        guard index < list.items.count else { return nil }
        node = list.items[index]
      default:
        return nil
      }
    }
    return node
  }

  /// Whether a list item's value (at `key`, or the item itself for `[=value]`) matches the pattern somewhere.
  static func item(_ item: Node, matches key: String, _ value: String, pattern: RE2?) -> Bool {
    guard let pattern else { return FieldPath.item(item, matches: key, value) }
    let text = key.isEmpty ? item.scalar?.value : item.mapping?[key]?.scalar?.value
    return text.map(pattern.matchesPart) ?? false
  }

  static func item(_ item: Node, matches key: String, _ value: String) -> Bool {
    if key.isEmpty { return item.scalar?.value == value }
    return item.mapping?[key]?.scalar?.value == value
  }

  /// Every place the path reaches, as (container, slot) pairs; missing maps,
  /// keys and selected list items are created when `create` gives the kind of
  /// the final value.
  func targets(in object: Mapping, create: Node?) -> [Slot] {
    var slots: [Slot] = []
    collect(.mapping(object), depth: 0, create: create, into: &slots)
    return slots
  }

  enum Slot {
    case field(Mapping, String)
    case item(SequenceNode, Int)

    var value: Node? {
      switch self {
      case .field(let map, let key): map[key]
      case .item(let list, let index): list.items[index]
      }
    }

    func set(_ node: Node) {
      switch self {
      case .field(let map, let key): map[key] = node
      case .item(let list, let index): list.items[index] = node
      }
    }
  }

  private func collect(_ node: Node, depth: Int, create: Node?, into slots: inout [Slot]) {
    let isLast = depth == segments.count - 1
    func next(_ slot: Slot) {
      if isLast {
        slots.append(slot)
      } else if let value = slot.value {
        collect(value, depth: depth + 1, create: create, into: &slots)
      }
    }
    switch (segments[depth], node) {
    case (.key(let key), .mapping(let map)):
      if map[key] == nil || (map[key]?.isNull == true && !isLast) {
        guard create != nil else { return }
        if isLast {
          map[key] = .scalar(Scalar("", kind: .null, mark: map.mark))
        } else {
          switch segments[depth + 1] {
          case .key: map[key] = .mapping(Mapping(mark: map.mark))
          case .select, .index, .all: map[key] = .sequence(SequenceNode(mark: map.mark))
          }
        }
      }
      next(.field(map, key))
    case (.select(let key, let value, let pattern), .sequence(let list)):
      var matched = false
      for index in list.items.indices where FieldPath.item(list.items[index], matches: key, value, pattern: pattern) {
        matched = true
        next(.item(list, index))
      }
      if !matched, create != nil, !key.isEmpty {
        let item = Mapping(mark: list.mark)
        item[key] = .scalar(.string(value))
        list.items.append(.mapping(item))
        next(.item(list, list.items.count - 1))
      }
    case (.index(let index), .sequence(let list)):
      if index < list.items.count {
        next(.item(list, index))
      } else if create != nil, index == list.items.count {
        list.items.append(
          isLast ? .scalar(Scalar("", kind: .null, mark: list.mark)) : .mapping(Mapping(mark: list.mark)))
        next(.item(list, index))
      }
    case (.all, .sequence(let list)):
      for index in list.items.indices { next(.item(list, index)) }
    default:
      return
    }
  }
}
