/// Decides what a plain scalar's text means, the two ways kustomize's output depends on.
///
/// kustomize reads documents with a YAML 1.2-style resolver (only `true`/`false`
/// are booleans, `0777` is octal, timestamps are recognised), converts each
/// resource to JSON, and writes it back with a YAML 1.1 writer that quotes any
/// string a YAML 1.1 reader would take for another type (`yes`, `on`, `1:20`).
/// Both questions are answered here on UTF-8 bytes, with a first-byte check
/// that settles most scalars without looking further.
public enum ScalarResolver {
  /// The two rule sets: resources are read with YAML 1.2's core booleans,
  /// kustomization files (and kustomize's writer) with YAML 1.1's.
  enum Schema {
    case core, yaml11

    var booleans: [String] {
      self == .core ? ScalarResolver.coreBooleans : ScalarResolver.yaml11Words
    }
  }

  /// The kind of a plain scalar as kustomize reads a resource.
  public static func resolveCore(_ text: String) -> ScalarKind {
    var text = text
    return text.withUTF8 { resolve(bytes: $0, schema: .core) }
  }

  /// The kind of a plain scalar for a YAML 1.1 reader, as kustomize reads its
  /// own kustomization files (`yes`, `on` and `y` are booleans there).
  public static func resolveYAML11(_ text: String) -> ScalarKind {
    var text = text
    return text.withUTF8 { resolve(bytes: $0, schema: .yaml11) }
  }

  /// Whether a string must be double-quoted on output because a YAML 1.1
  /// reader would otherwise take it for a null, boolean, number or timestamp.
  public static func needsQuoting(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { resolve(bytes: $0, schema: .yaml11) != .string || isBase60Float($0) }
  }

  static func resolve(bytes: UnsafeBufferPointer<UInt8>, schema: Schema) -> ScalarKind {
    guard let first = bytes.first else { return .null }
    switch first {
    case UInt8(ascii: "~"):
      return bytes.count == 1 ? .null : .string
    case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"),
      UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"),
      UInt8(ascii: "o"), UInt8(ascii: "O"):
      if isWord(bytes, nulls) { return .null }
      return isWord(bytes, schema.booleans) ? .bool : .string
    case UInt8(ascii: "."):
      return isWord(bytes, specialFloats) || isDotFloat(bytes) ? .float : .string
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      if isWord(bytes, specialFloats) { return .float }
      return numberKind(bytes)
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      if Timestamp(bytes) != nil { return .timestamp }
      return numberKind(bytes)
    default:
      return .string
    }
  }

  /// The truth value of a YAML 1.1 boolean spelling.
  public static func yaml11BoolValue(_ text: String) -> Bool {
    ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"].contains(text)
  }

  // MARK: - Words

  static let coreBooleans: [String] = ["true", "True", "TRUE", "false", "False", "FALSE"]
  static let nulls: [String] = ["null", "Null", "NULL"]
  static let specialFloats: [String] = [
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
  ]
  static let yaml11Words: [String] = [
    "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
    "true", "True", "TRUE", "false", "False", "FALSE",
  ]

  static func isWord(_ bytes: UnsafeBufferPointer<UInt8>, _ words: [String]) -> Bool {
    for word in words where word.utf8.count == bytes.count {
      if word.utf8.elementsEqual(bytes) { return true }
    }
    return false
  }

  // MARK: - Numbers

  /// `.int` when Go's `ParseInt(s, 0, 64)` or `ParseUint` accepts the text with
  /// underscores removed, `.float` when it matches YAML's float pattern, else `.string`.
  static func numberKind(_ bytes: UnsafeBufferPointer<UInt8>) -> ScalarKind {
    let digits = bytes.filter { $0 != UInt8(ascii: "_") }
    if GoInteger(digits) != nil { return .int }
    if matchesFloatPattern(digits), let value = Double(String(decoding: digits, as: UTF8.self)), value.isFinite {
      return .float
    }
    return .string
  }

  /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
  static func matchesFloatPattern(_ bytes: [UInt8]) -> Bool {
    var index = 0
    let count = bytes.count
    func digitRun() -> Int {
      let start = index
      while index < count, isDigit(bytes[index]) { index += 1 }
      return index - start
    }
    if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
    if index < count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      if digitRun() == 0 { return false }
    } else {
      if digitRun() == 0 { return false }
      if index < count, bytes[index] == UInt8(ascii: ".") {
        index += 1
        _ = digitRun()
      }
    }
    if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      if digitRun() == 0 { return false }
    }
    return index == count
  }

  /// Go's `ParseFloat` on text starting with a dot: `.5`, `.5e3`.
  static func isDotFloat(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let array = Array(bytes)
    guard matchesFloatPattern(array), let value = Double(String(decoding: array, as: UTF8.self)) else { return false }
    return value.isFinite
  }

  /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`, which YAML 1.1 reads as a sexagesimal number.
  static func isBase60Float(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < count, isDigit(bytes[index]) else { return false }
    index += 1
    while index < count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
    var groups = 0
    while index < count, bytes[index] == UInt8(ascii: ":") {
      index += 1
      // [0-5]?[0-9]
      if index + 1 < count, (UInt8(ascii: "0")...UInt8(ascii: "5")).contains(bytes[index]), isDigit(bytes[index + 1]) {
        index += 2
      } else if index < count, isDigit(bytes[index]) {
        index += 1
      } else {
        return false
      }
      groups += 1
    }
    guard groups > 0 else { return false }
    if index < count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      while index < count, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
    }
    return index == count
  }

  @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  // MARK: - Canonical forms

  /// The text kustomize writes for a scalar of the given kind: numbers as their
  /// JSON value read back, booleans and nulls spelled in lower case, timestamps
  /// in RFC 3339. Nil for strings, and for numbers JSON cannot carry.
  public static func canonicalText(_ scalar: Scalar) -> String? {
    switch scalar.kind {
    case .string: return nil
    case .null: return "null"
    case .bool: return scalar.value.first == "t" || scalar.value.first == "T" ? "true" : "false"
    case .timestamp:
      var text = scalar.value
      return text.withUTF8 { Timestamp($0)?.rfc3339 }
    case .int:
      let digits = Array(scalar.value.utf8.filter { $0 != UInt8(ascii: "_") })
      guard let integer = GoInteger(digits) else { return nil }
      return integer.description
    case .float:
      guard let value = floatValue(scalar.value), value.isFinite else { return nil }
      return FloatFormat.kustomizeText(value)
    }
  }

  static func floatValue(_ text: String) -> Double? {
    let cleaned = String(decoding: text.utf8.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    switch cleaned {
    case ".nan", ".NaN", ".NAN": return .nan
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
    case "-.inf", "-.Inf", "-.INF": return -.infinity
    default: return Double(cleaned)
    }
  }
}

/// An integer as Go's `strconv.ParseInt(s, 0, 64)`, or failing that
/// `ParseUint(s, 0, 64)`, reads it: sign, `0x`/`0o`/`0b`/leading-zero octal prefixes.
struct GoInteger: CustomStringConvertible {
  var negative: Bool
  var magnitude: UInt64

  init?<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
    var index = bytes.startIndex
    var negative = false
    var signed = false
    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
      negative = bytes[index] == UInt8(ascii: "-")
      signed = true
      index = bytes.index(after: index)
    }
    var base: UInt64 = 10
    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "0") {
      let next = bytes.index(after: index)
      if next < bytes.endIndex {
        switch bytes[next] {
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
          base = 16
          index = bytes.index(after: next)
        case UInt8(ascii: "o"), UInt8(ascii: "O"):
          base = 8
          index = bytes.index(after: next)
        case UInt8(ascii: "b"), UInt8(ascii: "B"):
          base = 2
          index = bytes.index(after: next)
        default: base = 8
        }
      }
    }
    guard index < bytes.endIndex else { return nil }
    var magnitude: UInt64 = 0
    while index < bytes.endIndex {
      let byte = bytes[index]
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
      default: return nil
      }
      guard digit < base else { return nil }
      let (product, overflow) = magnitude.multipliedReportingOverflow(by: base)
      guard !overflow else { return nil }
      let (sum, overflow2) = product.addingReportingOverflow(digit)
      guard !overflow2 else { return nil }
      magnitude = sum
      index = bytes.index(after: index)
    }
    if signed {
      // ParseInt takes signed values within Int64; ParseUint takes no sign at all.
      guard magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else { return nil }
    }
    self.negative = negative && magnitude != 0
    self.magnitude = magnitude
  }

  var description: String {
    negative ? "-\(magnitude)" : "\(magnitude)"
  }
}
