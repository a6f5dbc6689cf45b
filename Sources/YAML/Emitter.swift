internal import CYAML

/// Writes nodes as kustomize prints resources, byte for byte.
///
/// kustomize converts each resource to JSON and writes it with a YAML 1.1
/// writer (a port of libyaml's emitter): block style, width 80, indent 2,
/// unicode, map keys in byte order, strings that would read back as another
/// type double-quoted, strings with line breaks in literal style. libyaml's own
/// emitter makes the same choices of layout, so it writes the bytes here.
public struct Emitter {
  public init() {}

  /// One stream of documents, separated by `---` lines.
  public func emit(_ documents: [Node]) throws(Diagnostic) -> [UInt8] {
    let output = OutputBuffer()
    for (index, document) in documents.enumerated() {
      if index > 0 { output.bytes.append(contentsOf: "---\n".utf8) }
      try emitDocument(document, into: output)
    }
    return output.bytes
  }

  /// A single document with no separator.
  public func emit(_ document: Node) throws(Diagnostic) -> [UInt8] {
    let output = OutputBuffer()
    try emitDocument(document, into: output)
    return output.bytes
  }

  public func emitString(_ documents: [Node]) throws(Diagnostic) -> String {
    String(decoding: try emit(documents), as: UTF8.self)
  }

  private func emitDocument(_ document: Node, into output: OutputBuffer) throws(Diagnostic) {
    var writer = try EventWriter(output: output)
    defer { writer.close() }
    let start = output.bytes.count
    try writer.streamStart()
    try writer.documentStart()
    try writer.node(document)
    try writer.documentEnd()
    try writer.streamEnd()
    if !writer.escapedScalars.isEmpty {
      BOMQuirk.substitute(writer.escapedScalars, in: output, from: start)
    }
    // libyaml closes a document that ends in a kept line break (`|+`) with an
    // explicit `...`; kustomize's writer does not.
    let marker = Array("\n...\n".utf8)
    if output.bytes.count >= marker.count, output.bytes.suffix(marker.count).elementsEqual(marker) {
      output.bytes.removeLast(marker.count - 1)
    }
  }
}

/// Where libyaml's output handler appends bytes.
final class OutputBuffer {
  var bytes: [UInt8] = []
  init() { bytes.reserveCapacity(1 << 16) }
}

private func writeToBuffer(
  _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int
) -> Int32 {
  guard let context, let buffer else { return 0 }
  let output = Unmanaged<OutputBuffer>.fromOpaque(context).takeUnretainedValue()
  output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
  return 1
}

/// A libyaml emitter fed one event at a time.
private struct EventWriter {
  var emitter = yaml_emitter_t()
  var event = yaml_event_t()
  let output: OutputBuffer
  /// Hand-rendered scalars waiting to replace their placeholders.
  var escapedScalars: [[UInt8]] = []

  init(output: OutputBuffer) throws(Diagnostic) {
    self.output = output
    guard yaml_emitter_initialize(&emitter) == 1 else {
      throw Diagnostic(.generated, "cannot initialise the YAML emitter")
    }
    yaml_emitter_set_output(&emitter, writeToBuffer, Unmanaged.passUnretained(output).toOpaque())
    yaml_emitter_set_width(&emitter, 80)
    yaml_emitter_set_indent(&emitter, 2)
    yaml_emitter_set_unicode(&emitter, 1)
  }

  mutating func close() {
    yaml_emitter_delete(&emitter)
  }

  mutating func send(_ at: Mark) throws(Diagnostic) {
    guard yaml_emitter_emit(&emitter, &event) == 1 else {
      let problem = emitter.problem.map { String(cString: $0) } ?? "unknown problem"
      throw Diagnostic(at, "cannot write YAML: \(problem)")
    }
  }

  mutating func streamStart() throws(Diagnostic) {
    yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
    try send(.generated)
  }

  mutating func streamEnd() throws(Diagnostic) {
    yaml_stream_end_event_initialize(&event)
    try send(.generated)
    yaml_emitter_flush(&emitter)
  }

  mutating func documentStart() throws(Diagnostic) {
    yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
    try send(.generated)
  }

  mutating func documentEnd() throws(Diagnostic) {
    yaml_document_end_event_initialize(&event, 1)
    try send(.generated)
  }

  mutating func node(_ node: Node) throws(Diagnostic) {
    switch node {
    case .scalar(let scalar):
      try self.scalar(scalar)
    case .sequence(let sequence):
      yaml_sequence_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_SEQUENCE_STYLE)
      try send(sequence.mark)
      for item in sequence.items { try self.node(item) }
      yaml_sequence_end_event_initialize(&event)
      try send(sequence.mark)
    case .mapping(let mapping):
      yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
      try send(mapping.mark)
      for index in EventWriter.sortedOrder(mapping.entries) {
        var entry = mapping.entries[index]
        // An empty key (`: value`, or an anchor with no text) reads as null; kustomize writes it as "".
        if entry.key.kind == .null, entry.key.value.isEmpty {
          entry.key = Scalar("", kind: .string, style: .doubleQuoted, mark: entry.key.mark)
        }
        guard entry.key.kind == .string else {
          throw Diagnostic(
            entry.key.mark, "map key '\(entry.key.value)' is not a string; Kubernetes objects need string keys")
        }
        try self.scalar(entry.key)
        try self.node(entry.value)
      }
      yaml_mapping_end_event_initialize(&event)
      try send(mapping.mark)
    }
  }

  /// Entry indices with keys in kustomize's key order.
  static func sortedOrder(_ entries: [Mapping.Entry]) -> [Int] {
    var order = Array(entries.indices)
    var sorted = true
    for index in entries.indices.dropFirst()
    where !KeyOrder.areInIncreasingOrder(entries[index - 1].key.value, entries[index].key.value) {
      sorted = false
      break
    }
    if !sorted {
      order.sort { KeyOrder.areInIncreasingOrder(entries[$0].key.value, entries[$1].key.value) }
    }
    return order
  }

  mutating func scalar(_ scalar: Scalar) throws(Diagnostic) {
    var text: String
    let style: yaml_scalar_style_t
    if scalar.kind == .string, scalar.value.utf8.starts(with: BOMQuirk.byteOrderMark) {
      // Written by hand below, in place of a placeholder libyaml lays out.
      text = BOMQuirk.placeholder(escapedScalars.count)
      escapedScalars.append(BOMQuirk.render(scalar.value))
      style = YAML_DOUBLE_QUOTED_SCALAR_STYLE
    } else if scalar.kind == .string {
      text = scalar.value
      if text.utf8.contains(UInt8(ascii: "\n")) {
        style = YAML_LITERAL_SCALAR_STYLE
      } else if ScalarResolver.needsQuoting(text) {
        style = YAML_DOUBLE_QUOTED_SCALAR_STYLE
      } else {
        style = YAML_PLAIN_SCALAR_STYLE
      }
    } else {
      guard let canonical = ScalarResolver.canonicalText(scalar) else {
        throw Diagnostic(
          scalar.mark, "the value '\(scalar.value)' cannot be written as JSON (infinite or not a number)")
      }
      text = canonical
      style = scalar.kind == .timestamp ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE
    }
    // libyaml wants a pointer even for an empty scalar, whose buffer may have none.
    var empty: UInt8 = 0
    let ok = text.withUTF8 { bytes in
      withUnsafeMutablePointer(to: &empty) { placeholder in
        yaml_scalar_event_initialize(
          &event, nil, nil, UnsafeMutablePointer(mutating: bytes.baseAddress) ?? placeholder, Int32(bytes.count), 1, 1,
          style)
      }
    }
    guard ok == 1 else { throw Diagnostic(scalar.mark, "cannot write scalar (invalid UTF-8?)") }
    try send(scalar.mark)
  }
}

/// kustomize's YAML writer (a Go port of libyaml) has a quirk libyaml lacks:
/// in a string that starts with a byte-order mark, every character is
/// written as an escape (`"\uFEFF\x61\x62"`). Such strings are rendered here
/// and put in place of a placeholder that libyaml lays out as a double-quoted
/// scalar; being one escaped line, the result needs no folding.
enum BOMQuirk {
  static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  static func placeholder(_ index: Int) -> String {
    "\u{1}\u{2}mrgen-escaped-\(index)\u{2}\u{1}"
  }

  /// The placeholder as libyaml writes it.
  static func written(_ index: Int) -> [UInt8] {
    Array("\"\\x01\\x02mrgen-escaped-\(index)\\x02\\x01\"".utf8)
  }

  static func render(_ text: String) -> [UInt8] {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = [UInt8(ascii: "\"")]
    for scalar in text.unicodeScalars {
      let value = scalar.value
      out.append(UInt8(ascii: "\\"))
      switch value {
      case 0x00: out.append(UInt8(ascii: "0"))
      case 0x07: out.append(UInt8(ascii: "a"))
      case 0x08: out.append(UInt8(ascii: "b"))
      case 0x09: out.append(UInt8(ascii: "t"))
      case 0x0A: out.append(UInt8(ascii: "n"))
      case 0x0B: out.append(UInt8(ascii: "v"))
      case 0x0C: out.append(UInt8(ascii: "f"))
      case 0x0D: out.append(UInt8(ascii: "r"))
      case 0x1B: out.append(UInt8(ascii: "e"))
      case 0x22: out.append(UInt8(ascii: "\""))
      case 0x5C: out.append(UInt8(ascii: "\\"))
      case 0x85: out.append(UInt8(ascii: "N"))
      case 0xA0: out.append(UInt8(ascii: "_"))
      case 0x2028: out.append(UInt8(ascii: "L"))
      case 0x2029: out.append(UInt8(ascii: "P"))
      default:
        let (letter, digits): (UInt8, Int) =
          value <= 0xFF ? (UInt8(ascii: "x"), 2) : value <= 0xFFFF ? (UInt8(ascii: "u"), 4) : (UInt8(ascii: "U"), 8)
        out.append(letter)
        for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
          out.append(hex[Int((value >> UInt32(shift)) & 0xF)])
        }
      }
    }
    out.append(UInt8(ascii: "\""))
    return out
  }

  static func substitute(_ rendered: [[UInt8]], in output: OutputBuffer, from start: Int) {
    var bytes = Array(output.bytes[start...])
    var searchFrom = 0
    for (index, replacement) in rendered.enumerated() {
      let marker = written(index)
      guard let range = bytes[searchFrom...].firstRange(of: marker) else { continue }
      bytes.replaceSubrange(range, with: replacement)
      searchFrom = range.lowerBound + replacement.count
    }
    output.bytes.replaceSubrange(start..., with: bytes)
  }
}
