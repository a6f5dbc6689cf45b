internal import CYAML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads YAML streams into nodes with libyaml, keeping every node's source mark.
///
/// Anchors and aliases are resolved here (an alias becomes a copy of its
/// anchored node, bounded in nodes and in bytes), and so are `<<` merge keys,
/// so later stages see plain trees.
public struct Parser {
  /// What one stream may cost; every bound is an error naming where it was passed.
  public struct Limits: Sendable, Equatable {
    /// The deepest nesting of sequences and maps inside a document's top collection. The reference has no bound
    /// (5,000 levels take it about 20 s, mrgen 0.13 s); the deepest file of the
    /// public corpus has 47. It may be raised to 10,000, not further: the stages after
    /// parsing recurse, and about 12,000 levels exhaust an 8 MiB stack.
    public var depth = 5_000
    /// The most documents in one stream.
    public var documents = 1_000_000
    /// The most nodes that aliases may add to one stream: a guard against "billion laughs" input.
    public var aliasNodes = 1_000_000
    /// The most scalar bytes (keys and values) that aliases may add to one stream:
    /// a few aliases of one large scalar must not expand without bound.
    public var aliasBytes = 64 << 20

    public init() {}
  }

  public var limits = Limits()
  /// Whether a repeated map key replaces the earlier value (as kustomize reads its own
  /// kustomization files) instead of being an error (as it reads resources).
  public var lastDuplicateKeyWins = false
  /// Whether a repeated map key is dropped, the first value kept (as kustomize's
  /// YAML library reads a strategic merge patch). Checked before `lastDuplicateKeyWins`.
  public var firstDuplicateKeyWins = false
  /// Whether only the stream's first document is read, and nothing after it
  /// looked at: kustomize reads its own kustomization files so.
  public var firstDocumentOnly = false

  public init() {}

  /// Parses every document of a stream. An empty document reads as a null scalar.
  /// `lineOffset` shifts the marks, for YAML embedded in another file.
  public func parse(_ bytes: [UInt8], file: String, lineOffset: Int = 0) throws(Diagnostic) -> [Node] {
    var builder = TreeBuilder(file: file, limits: limits)
    builder.lineOffset = lineOffset
    builder.lastDuplicateKeyWins = lastDuplicateKeyWins
    builder.firstDuplicateKeyWins = firstDuplicateKeyWins
    var parser = yaml_parser_t()
    guard yaml_parser_initialize(&parser) == 1 else {
      throw Diagnostic(Mark(file: file), "cannot initialise the YAML parser")
    }
    defer { yaml_parser_delete(&parser) }
    let bytes = Parser.droppingDocumentByteOrderMarks(bytes)
    return try bytes.withUnsafeBufferPointer { (buffer) throws(Diagnostic) -> [Node] in
      yaml_parser_set_input_string(&parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
      // No encoding is set: libyaml reads a byte-order mark and takes UTF-16 as the reference does.
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(&parser, &event) == 1 else {
          var error = Parser.error(of: parser, file: file)
          error.mark.line += lineOffset
          throw error
        }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { break }
        try builder.handle(event)
        if firstDocumentOnly, event.type == YAML_DOCUMENT_END_EVENT { break }
      }
      return builder.documents
    }
  }

  public func parse(_ text: String, file: String, lineOffset: Int = 0) throws(Diagnostic) -> [Node] {
    try parse(Array(text.utf8), file: file, lineOffset: lineOffset)
  }

  /// kustomize splits a stream at `---` lines and reads each document on its
  /// own, so a UTF-8 byte-order mark may open any document; libyaml accepts one
  /// only at the start of the stream, so those after a `---` line are dropped.
  static func droppingDocumentByteOrderMarks(_ bytes: [UInt8]) -> [UInt8] {
    // The candidates, found with memchr: most streams hold no 0xEF byte at all.
    var marks: [Int] = []
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, buffer.count > 6 else { return }
      var index = 4
      while index + 2 < buffer.count, let found = memchr(base + index, 0xEF, buffer.count - 2 - index) {
        index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        if buffer[index + 1] == 0xBB, buffer[index + 2] == 0xBF, Parser.followsDocumentStart(buffer, at: index) {
          marks.append(index)
        }
        index += 1
      }
    }
    if marks.isEmpty { return bytes }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var copied = 0
    for index in marks {
      result.append(contentsOf: bytes[copied..<index])
      copied = index + 3
    }
    result.append(contentsOf: bytes[copied...])
    return result
  }

  /// Whether the line before `index` (which starts a line) is `---`.
  static func followsDocumentStart(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    var end = index - 1
    guard end >= 0, bytes[end] == UInt8(ascii: "\n") else { return false }
    if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
    guard end >= 3, bytes[(end - 3)..<end].elementsEqual("---".utf8) else { return false }
    return end == 3 || bytes[end - 4] == UInt8(ascii: "\n")
  }

  /// A byte count as limits are written: `64 MiB`, `1000 bytes`.
  public static func describe(bytes: Int) -> String {
    for (unit, factor) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
    where bytes >= factor && bytes % factor == 0 {
      return "\(bytes / factor) \(unit)"
    }
    return "\(bytes) bytes"
  }

  private static func error(of parser: yaml_parser_t, file: String) -> Diagnostic {
    let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
    let mark = Mark(file: file, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
    var message = "malformed YAML: \(problem)"
    if let context = parser.context {
      message += " (\(String(cString: context)) at line \(parser.context_mark.line + 1))"
    }
    return Diagnostic(mark, message)
  }
}

/// Turns libyaml events into nodes, with an explicit stack instead of recursion.
private struct TreeBuilder {
  enum Frame {
    case sequence(SequenceNode, anchor: String?)
    /// `pendingMerge`: the pending key is a merge key (a plain `<<`, or an alias of one).
    case mapping(Mapping, anchor: String?, pendingKey: Scalar?, pendingMerge: Bool, merges: [Node])
    var anchor: String? {
      switch self {
      case .sequence(_, let anchor), .mapping(_, let anchor, _, _, _): anchor
      }
    }
  }

  let file: String
  let limits: Parser.Limits
  var documents: [Node] = []
  var stack: [Frame] = []
  var anchors: [String: Node] = [:]
  /// Anchors of collections still being read, by the stack index of their frame.
  /// As in kustomize's reader, a later node with the same anchor takes the name over.
  var openAnchors: [String: Int] = [:]
  var expandedNodes = 0
  var expandedBytes = 0
  /// Key indexes of the open mappings that have grown past `indexThreshold` entries, so
  /// that checking a new key for a duplicate costs the same however large the map.
  var largeMappings: [ObjectIdentifier: LargeMapping] = [:]
  static let indexThreshold = 16

  struct LargeMapping {
    var index: [String: Int]
    /// Entries a duplicate made redundant (the earlier with `lastDuplicateKeyWins`, the
    /// later with `firstDuplicateKeyWins`), dropped when the map ends.
    var replaced: Set<Int> = []
  }
  var lineOffset = 0
  var lastDuplicateKeyWins = false
  var firstDuplicateKeyWins = false

  init(file: String, limits: Parser.Limits) {
    self.file = file
    self.limits = limits
  }

  func mark(_ mark: yaml_mark_t) -> Mark {
    Mark(file: file, line: Int(mark.line) + 1 + lineOffset, column: Int(mark.column) + 1)
  }

  mutating func handle(_ event: yaml_event_t) throws(Diagnostic) {
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      anchors.removeAll(keepingCapacity: true)
      openAnchors.removeAll(keepingCapacity: true)
      let start = event.data.document_start
      if start.version_directive != nil || start.tag_directives.start != start.tag_directives.end {
        throw Diagnostic(
          mark(event.start_mark),
          "a %YAML or %TAG directive is not accepted: kustomize's YAML reader refuses documents that carry directives")
      }
      guard documents.count < limits.documents else {
        throw Diagnostic(
          mark(event.start_mark),
          "more than \(limits.documents) YAML documents in one file (raise it with --limit documents=N)")
      }
    case YAML_SCALAR_EVENT:
      let data = event.data.scalar
      let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
      let style = ScalarStyle(data.style)
      let at = mark(event.start_mark)
      if style == .doubleQuoted { try TreeBuilder.refuseControlCharacters(value, at: at) }
      let kind: ScalarKind
      var text = value
      if let tag = data.tag {
        (kind, text) = try TreeBuilder.resolve(tag: String(cString: tag), value: value, at: at)
      } else {
        kind = style == .plain ? ScalarResolver.resolveCore(value) : .string
      }
      let scalar = Scalar(text, kind: kind, style: style, mark: at)
      let isMergeKey = style == .plain && value == "<<"
      if let anchor = data.anchor.map({ String(cString: $0) }) { define(anchor, as: .scalar(scalar)) }
      try add(.scalar(scalar), isMergeKey: isMergeKey)
    case YAML_SEQUENCE_START_EVENT:
      try push(
        .sequence(
          SequenceNode(mark: mark(event.start_mark)),
          anchor: event.data.sequence_start.anchor.map { String(cString: $0) }), at: event.start_mark)
    case YAML_MAPPING_START_EVENT:
      try push(
        .mapping(
          Mapping(mark: mark(event.start_mark)), anchor: event.data.mapping_start.anchor.map { String(cString: $0) },
          pendingKey: nil,
          pendingMerge: false, merges: []),
        at: event.start_mark)
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      let frame = stack.removeLast()
      let node: Node
      switch frame {
      case .sequence(let sequence, _):
        node = .sequence(sequence)
      case .mapping(let mapping, _, _, _, let merges):
        if let large = largeMappings.removeValue(forKey: ObjectIdentifier(mapping)), !large.replaced.isEmpty {
          mapping.entries = mapping.entries.enumerated().filter { !large.replaced.contains($0.offset) }.map(\.element)
        }
        try TreeBuilder.applyMerges(merges, into: mapping)
        node = .mapping(mapping)
      }
      // The anchor names this node unless a later node has taken the name over meanwhile.
      if let anchor = frame.anchor, openAnchors[anchor] == stack.count {
        openAnchors.removeValue(forKey: anchor)
        anchors[anchor] = node
      }
      try add(node, isMergeKey: false)
    case YAML_ALIAS_EVENT:
      let name = String(cString: event.data.alias.anchor)
      if let open = openAnchors[name] {
        // An alias of a node still being read: the node would contain itself.
        // As a merge into that very map it adds nothing (every key is the map's own).
        if open == stack.count - 1, case .mapping(let mapping, let anchor, _?, true, let merges) = stack[open] {
          stack[open] = .mapping(mapping, anchor: anchor, pendingKey: nil, pendingMerge: false, merges: merges)
          return
        }
        throw Diagnostic(mark(event.start_mark), "the alias '*\(name)' refers to a node that contains it")
      }
      guard let target = anchors[name] else {
        throw Diagnostic(mark(event.start_mark), "unknown anchor '\(name)' referenced")
      }
      let size = target.size
      expandedNodes += size.nodes
      expandedBytes += size.bytes
      guard expandedNodes <= limits.aliasNodes else {
        throw Diagnostic(
          mark(event.start_mark),
          "the alias '*\(name)' makes aliases expand to more than \(limits.aliasNodes) nodes (raise it with --limit alias-nodes=N)"
        )
      }
      guard expandedBytes <= limits.aliasBytes else {
        throw Diagnostic(
          mark(event.start_mark),
          "the alias '*\(name)' makes aliases expand to more than \(Parser.describe(bytes: limits.aliasBytes)) (raise it with --limit alias-bytes=SIZE)"
        )
      }
      // An alias of a plain `<<` used as a key is a merge key too, as the reference reads it.
      var aliasesMergeKey = false
      if case .scalar(let scalar) = target, scalar.style == .plain, scalar.value == "<<" { aliasesMergeKey = true }
      try add(target.deepCopy(), isMergeKey: aliasesMergeKey)
    default:
      break
    }
  }

  mutating func push(_ frame: Frame, at position: yaml_mark_t) throws(Diagnostic) {
    // The document's own collection is level 0: `depth` counts the levels nested in it.
    guard stack.count <= limits.depth else {
      throw Diagnostic(
        mark(position), "nesting deeper than \(limits.depth) levels (raise it with --limit yaml-depth=N)")
    }
    if let anchor = frame.anchor {
      openAnchors[anchor] = stack.count
      anchors.removeValue(forKey: anchor)
    }
    stack.append(frame)
  }

  /// A finished scalar's anchor: the name is its from now on.
  mutating func define(_ anchor: String, as node: Node) {
    openAnchors.removeValue(forKey: anchor)
    anchors[anchor] = node
  }

  /// Places a finished node in its parent (or as a document).
  mutating func add(_ node: Node, isMergeKey: Bool) throws(Diagnostic) {
    guard let top = stack.popLast() else {
      documents.append(node)
      return
    }
    switch top {
    case .sequence(let sequence, let anchor):
      sequence.items.append(node)
      stack.append(.sequence(sequence, anchor: anchor))
    case .mapping(let mapping, let anchor, let pendingKey, let pendingMerge, var merges):
      if let key = pendingKey {
        if pendingMerge {
          merges.append(node)
        } else {
          mapping.entries.append(Mapping.Entry(key: key, value: node))
        }
        stack.append(.mapping(mapping, anchor: anchor, pendingKey: nil, pendingMerge: false, merges: merges))
      } else {
        guard case .scalar(let key) = node else {
          throw Diagnostic(node.mark, "a mapping key must be a scalar")
        }
        if isMergeKey, !merges.isEmpty {
          throw Diagnostic(key.mark, "duplicate merge key: a map may have one '<<' (list several maps in it instead)")
        }
        if !isMergeKey { try checkNewKey(key, in: mapping) }
        stack.append(.mapping(mapping, anchor: anchor, pendingKey: key, pendingMerge: isMergeKey, merges: merges))
      }
    }
  }

  /// Refuses (or, with `lastDuplicateKeyWins`, marks for replacement) a key the mapping already has:
  /// a scan while the map is small, an index once it is large.
  mutating func checkNewKey(_ key: Scalar, in mapping: Mapping) throws(Diagnostic) {
    let id = ObjectIdentifier(mapping)
    if largeMappings[id] != nil {
      // Read and edited in place through optional chaining: binding the entry to a
      // constant would hold a second reference and make each edit copy the index.
      if let earlier = largeMappings[id]?.index[key.value] {
        if firstDuplicateKeyWins {
          // The entry about to be appended goes; the index keeps pointing at the first.
          largeMappings[id]?.replaced.insert(mapping.entries.count)
          return
        }
        guard lastDuplicateKeyWins else { throw Diagnostic(key.mark, "mapping key \"\(key.value)\" already defined") }
        largeMappings[id]?.replaced.insert(earlier)
      }
      // The value of this key will be appended next, at this index.
      largeMappings[id]?.index[key.value] = mapping.entries.count
      return
    }
    if let earlier = mapping.entries.firstIndex(where: { $0.key.value == key.value }) {
      if firstDuplicateKeyWins {
        // Index the map so that the entry about to be appended can be dropped when it ends.
        let index = Dictionary(
          mapping.entries.enumerated().map { ($0.element.key.value, $0.offset) },
          uniquingKeysWith: { first, _ in first })
        largeMappings[id] = LargeMapping(index: index, replaced: [mapping.entries.count])
        return
      }
      guard lastDuplicateKeyWins else { throw Diagnostic(key.mark, "mapping key \"\(key.value)\" already defined") }
      mapping.entries.remove(at: earlier)
    }
    if mapping.entries.count >= TreeBuilder.indexThreshold {
      var index = Dictionary(
        uniqueKeysWithValues: mapping.entries.enumerated().map { ($0.element.key.value, $0.offset) })
      index[key.value] = mapping.entries.count
      largeMappings[id] = LargeMapping(index: index)
    }
  }

  /// YAML merge keys: entries of the merged maps that the mapping does not set itself.
  static func applyMerges(_ merges: [Node], into mapping: Mapping) throws(Diagnostic) {
    for merge in merges {
      let sources: [Mapping]
      switch merge {
      case .mapping(let source): sources = [source]
      case .sequence(let sequence):
        var maps: [Mapping] = []
        for item in sequence.items {
          guard case .mapping(let source) = item else {
            throw Diagnostic(item.mark, "a merge key's list must hold only maps")
          }
          maps.append(source)
        }
        sources = maps
      default:
        throw Diagnostic(merge.mark, "a merge key must point at a map or a list of maps")
      }
      var present = Set(mapping.entries.map(\.key.value))
      for source in sources {
        for entry in source.entries where present.insert(entry.key.value).inserted {
          mapping.entries.append(Mapping.Entry(key: entry.key, value: entry.value.deepCopy()))
        }
      }
    }
  }

  /// An explicitly tagged scalar, as kustomize's YAML reader takes it: a value
  /// that is not of the tag's type is an error; `!!binary` is decoded and
  /// `!!timestamp` read as one. Other tags (`!!str`, custom ones) leave a string.
  static func resolve(tag: String, value: String, at mark: Mark) throws(Diagnostic) -> (ScalarKind, String) {
    func refuse(_ type: String) -> Diagnostic {
      // The value is not shown: it may be a Secret's.
      Diagnostic(mark, "this value is tagged !!\(type) but does not read as one")
    }
    let plain = ScalarResolver.resolveCore(value)
    switch tag {
    case "tag:yaml.org,2002:null":
      guard plain == .null else { throw refuse("null") }
      return (.null, value)
    case "tag:yaml.org,2002:bool":
      guard plain == .bool else { throw refuse("bool") }
      return (.bool, value)
    case "tag:yaml.org,2002:int":
      guard plain == .int else { throw refuse("int") }
      return (.int, value)
    case "tag:yaml.org,2002:float":
      guard plain == .int || plain == .float else { throw refuse("float") }
      return (.float, value)
    case "tag:yaml.org,2002:timestamp":
      var text = value
      guard text.withUTF8({ Timestamp($0) != nil }) else { throw refuse("timestamp") }
      return (.timestamp, value)
    case "tag:yaml.org,2002:binary":
      guard let bytes = Base64.decode(value) else {
        throw Diagnostic(mark, "!!binary value contains invalid base64 data")
      }
      guard let text = String(validating: bytes, as: UTF8.self) else {
        throw Diagnostic(
          mark,
          "this !!binary value decodes to bytes that are not UTF-8; the reference writes them raw, which is not valid YAML"
        )
      }
      try refuseControlCharacters(text, at: mark)
      return (.string, text)
    default:
      return (.string, value)
    }
  }

  /// kustomize reads every resource back through a YAML reader that refuses
  /// DEL, the C1 controls other than NEL, and U+FFFE/U+FFFF; only a
  /// double-quoted escape or a `!!binary` value can put them in a value, as
  /// libyaml refuses them raw.
  static func refuseControlCharacters(_ value: String, at mark: Mark) throws(Diagnostic) {
    for scalar in value.unicodeScalars {
      let code = scalar.value
      if code == 0x7F || (code >= 0x80 && code <= 0x9F && code != 0x85) || code == 0xFFFE || code == 0xFFFF {
        throw Diagnostic(
          mark, "control characters are not allowed (U+\(String(code, radix: 16, uppercase: true).leftPadded(to: 4)))")
      }
    }
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}

/// Standard base64 as Go decodes it: padding required, line breaks skipped.
enum Base64 {
  static func decode(_ text: String) -> [UInt8]? {
    var values: [UInt8] = []
    var padding = 0
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"): continue
      case UInt8(ascii: "="):
        padding += 1
        continue
      default: break
      }
      guard padding == 0, let value = sextet(byte) else { return nil }
      values.append(value)
    }
    guard (values.count + padding) % 4 == 0, padding <= 2, padding == 0 || values.count % 4 == 4 - padding else {
      return nil
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * 3 / 4)
    var index = 0
    while index + 1 < values.count {
      let chunk = values[index..<min(index + 4, values.count)]
      let a = chunk[chunk.startIndex]
      let b = chunk[chunk.startIndex + 1]
      bytes.append(a << 2 | b >> 4)
      if chunk.count > 2 {
        let c = chunk[chunk.startIndex + 2]
        bytes.append((b & 0x0F) << 4 | c >> 2)
        if chunk.count > 3 { bytes.append((c & 0x03) << 6 | chunk[chunk.startIndex + 3]) }
      }
      index += 4
    }
    return bytes
  }

  static func sextet(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): 62
    case UInt8(ascii: "/"): 63
    default: nil
    }
  }
}

extension ScalarStyle {
  init(_ style: yaml_scalar_style_t) {
    switch style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: self = .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: self = .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: self = .literal
    case YAML_FOLDED_SCALAR_STYLE: self = .folded
    default: self = .plain
    }
  }
}
