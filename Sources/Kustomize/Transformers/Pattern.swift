import CRE2

/// A name as kustomize matches it: an anchored regular expression, the whole
/// text matching; for an image, the name may be followed by a tag and a digest.
///
/// The one matcher of patch targets (group, version, kind, name, namespace)
/// and `images:` names. Text with no regular-expression syntax but `.`
/// (common in names) is compared byte by byte, `.` standing for any one
/// character but a line break; RE2, the engine of Go's `regexp` that kustomize
/// uses, takes the rest (so `(?!x)` and `\1` are refused as kustomize refuses
/// them), and where `.` may meet a character of more than one byte.
struct Pattern: Sendable {
  /// What may follow the name.
  enum Tail: Sendable {
    /// Nothing: the whole text is the name.
    case none
    /// `(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?`, as kustomize's image matching allows.
    case imageTagAndDigest
  }

  /// The text when it holds no regular-expression syntax but `.`.
  private let literal: [UInt8]?
  private let regex: RE2?
  private let tail: Tail

  init?(_ text: String, tail: Tail = .none) {
    self.tail = tail
    let special = Set("\\^$*+?()[]{}|".utf8)
    let plain = !text.utf8.contains(where: { special.contains($0) })
    literal = plain ? Array(text.utf8) : nil
    // A regex also where `.` may meet a character of more than one byte.
    guard !plain || text.contains(".") else {
      regex = nil
      return
    }
    let source =
      switch tail {
      case .none: "^(?:" + text + ")$"
      case .imageTagAndDigest: "^" + text + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$"
      }
    guard let compiled = RE2(source) else { return nil }
    regex = compiled
  }

  /// The one text the pattern matches whole, when it holds no pattern character at all (not even `.`).
  var exactText: String? {
    guard let literal, !literal.contains(UInt8(ascii: ".")) else { return nil }
    return String(decoding: literal, as: UTF8.self)
  }

  /// Whether the pattern holds no regular-expression syntax but `.`.
  var isPlain: Bool { literal != nil }

  func matches(_ text: String) -> Bool {
    guard let literal, !(regex != nil && text.utf8.contains(where: { $0 >= 0x80 })) else {
      return regex?.matchesWhole(text) ?? false
    }
    let bytes = text.utf8
    guard bytes.count >= literal.count else { return false }
    var position = bytes.startIndex
    for expected in literal {
      let byte = bytes[position]
      if expected == UInt8(ascii: ".") ? byte == UInt8(ascii: "\n") : byte != expected { return false }
      position = bytes.index(after: position)
    }
    let rest = bytes[position...]
    switch tail {
    case .none: return rest.isEmpty
    case .imageTagAndDigest: return Pattern.isTagAndDigest(rest)
    }
  }

  /// `(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?`
  static func isTagAndDigest(_ rest: Substring.UTF8View) -> Bool {
    var rest = rest[...]
    func isTagCharacter(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "{"),
        UInt8(ascii: "}"), UInt8(ascii: "-"):
        true
      default: false
      }
    }
    if rest.first == UInt8(ascii: ":") {
      rest = rest.dropFirst().drop(while: isTagCharacter)
    }
    let digestPrefix = "@sha256:".utf8
    if rest.starts(with: digestPrefix) {
      rest = rest.dropFirst(digestPrefix.count).drop(while: isTagCharacter)
    }
    return rest.isEmpty
  }
}

/// A compiled RE2 pattern; immutable once compiled, so it may be shared.
final class RE2: Sendable {
  private nonisolated(unsafe) let compiled: OpaquePointer

  /// Compiles `pattern`; nil when RE2 refuses it.
  init?(_ pattern: String) {
    var error = [CChar](repeating: 0, count: 256)
    var text = pattern
    let compiled = text.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        cre2_compile(chars.baseAddress, chars.count, &error, error.count)
      }
    }
    guard let compiled else { return nil }
    self.compiled = compiled
  }

  deinit { cre2_free(compiled) }

  func matchesWhole(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in cre2_full_match(compiled, chars.baseAddress, chars.count) }
    }
  }

  /// Whether some part of `text` matches (Go's `MatchString`).
  func matchesPart(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in cre2_partial_match(compiled, chars.baseAddress, chars.count) }
    }
  }
}
