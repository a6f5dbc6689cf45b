/// Formats a float the way kustomize's JSON round trip leaves it.
///
/// A float reaches the output as Go's JSON text, which a YAML 1.1 reader then
/// takes back: integral values below 1e21 come back as integers, the rest as
/// floats written with Go's shortest `%g` (`1e+21`, `1.5e-07`, `123456.789`).
enum FloatFormat {
  static func kustomizeText(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e21 {
      if let integer = Int64(exactly: value) { return String(integer) }
      if let integer = UInt64(exactly: value) { return String(integer) }
    }
    return shortestG(value)
  }

  /// Go's `strconv.FormatFloat(value, 'g', -1, 64)`.
  static func shortestG(_ value: Double) -> String {
    let (negative, digits, pointPosition) = shortestDigits(value)
    var out = negative ? "-" : ""
    let exponent = pointPosition - 1
    if exponent < -4 || exponent >= 6 {
      out.append(Character(Unicode.Scalar(digits[0])))
      if digits.count > 1 {
        out += "."
        out += String(decoding: digits[1...], as: UTF8.self)
      }
      out += exponent < 0 ? "e-" : "e+"
      let magnitude = abs(exponent)
      if magnitude < 10 { out += "0" }
      out += String(magnitude)
      return out
    }
    if pointPosition <= 0 {
      out += "0." + String(repeating: "0", count: -pointPosition) + String(decoding: digits, as: UTF8.self)
    } else if digits.count <= pointPosition {
      out += String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: pointPosition - digits.count)
    } else {
      out +=
        String(decoding: digits[..<pointPosition], as: UTF8.self) + "."
        + String(decoding: digits[pointPosition...], as: UTF8.self)
    }
    return out
  }

  /// The shortest digits that read back as `value` (Swift's description gives
  /// them, as Go's does), and where the decimal point falls: value = 0.DIGITS × 10^point.
  static func shortestDigits(_ value: Double) -> (negative: Bool, digits: [UInt8], point: Int) {
    var text = Array(value.description.utf8)
    var negative = false
    if text.first == UInt8(ascii: "-") {
      negative = true
      text.removeFirst()
    }
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
      text.removeSubrange(e...)
    }
    var point = text.firstIndex(of: UInt8(ascii: ".")) ?? text.count
    var digits = text.filter { $0 != UInt8(ascii: ".") }
    while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
      digits.removeFirst()
      point -= 1
    }
    while let last = digits.last, last == UInt8(ascii: "0"), digits.count > 1 {
      digits.removeLast()
    }
    return (negative, digits, point + exponent)
  }
}
