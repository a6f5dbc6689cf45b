/// Writes nodes as Go's `encoding/json` writes the same values after kustomize
/// decoded them into generic maps: keys in byte order, HTML characters escaped,
/// numbers as float64. Used where kustomize hashes JSON (generated names).
public enum JSONWriter {
  public static func write(_ node: Node) -> String {
    var out: [UInt8] = []
    write(node, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  static func write(_ node: Node, into out: inout [UInt8]) {
    switch node {
    case .scalar(let scalar):
      switch scalar.kind {
      case .string:
        writeString(scalar.value, into: &out)
      case .timestamp:
        writeString(ScalarResolver.canonicalText(scalar) ?? scalar.value, into: &out)
      case .null:
        out += Array("null".utf8)
      case .bool:
        out += Array((ScalarResolver.canonicalText(scalar) ?? "false").utf8)
      case .int, .float:
        let text = ScalarResolver.canonicalText(scalar) ?? "0"
        out += Array(goFloat(Double(text) ?? 0).utf8)
      }
    case .sequence(let sequence):
      out.append(UInt8(ascii: "["))
      for (index, item) in sequence.items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        write(item, into: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .mapping(let mapping):
      out.append(UInt8(ascii: "{"))
      let sorted = mapping.entries.sorted { $0.key.value.utf8.lexicographicallyPrecedes($1.key.value.utf8) }
      for (index, entry) in sorted.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        writeString(entry.key.value, into: &out)
        out.append(UInt8(ascii: ":"))
        write(entry.value, into: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// How many characters `writeString` writes for `text`, quotes included.
  public static func encodedLength(_ text: String) -> Int {
    var length = 2
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C: length += 2
      case 0x00..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029: length += 6
      default: length += 1
      }
    }
    return length
  }

  /// A string with Go's escapes: control characters, `"` and `\`, HTML's `<>&`, U+2028 and U+2029.
  public static func writeString(_ text: String, into out: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    out.append(UInt8(ascii: "\""))
    for scalar in text.unicodeScalars {
      switch scalar.value {
      case 0x22: out += [0x5C, 0x22]
      case 0x5C: out += [0x5C, 0x5C]
      case 0x0A: out += [0x5C, UInt8(ascii: "n")]
      case 0x0D: out += [0x5C, UInt8(ascii: "r")]
      case 0x09: out += [0x5C, UInt8(ascii: "t")]
      case 0x08: out += [0x5C, UInt8(ascii: "b")]
      case 0x0C: out += [0x5C, UInt8(ascii: "f")]
      case 0x00..<0x20, 0x3C, 0x3E, 0x26:
        out += [
          0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(scalar.value >> 4)],
          hex[Int(scalar.value & 0xF)],
        ]
      case 0x2028, 0x2029:
        out += Array("\\u202\(scalar.value == 0x2028 ? "8" : "9")".utf8)
      default:
        out += Array(String(scalar).utf8)
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Go's JSON form of a float64: `%f` style in [1e-6, 1e21), else exponent form like `1e+21`.
  public static func goFloat(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
      let (negative, digits, point) = FloatFormat.shortestDigits(value)
      var text = negative ? "-" : ""
      text.append(Character(Unicode.Scalar(digits[0])))
      if digits.count > 1 { text += "." + String(decoding: digits[1...], as: UTF8.self) }
      let exponent = point - 1
      text += (exponent < 0 ? "e-" : "e+") + String(abs(exponent))
      return text
    }
    if value == value.rounded(), let integer = Int64(exactly: value) { return String(integer) }
    let (negative, digits, point) = FloatFormat.shortestDigits(value)
    var text = negative ? "-" : ""
    if point <= 0 {
      text += "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
    } else if digits.count <= point {
      text += String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
    } else {
      text +=
        String(decoding: digits[..<point], as: UTF8.self) + "." + String(decoding: digits[point...], as: UTF8.self)
    }
    return text
  }
}
