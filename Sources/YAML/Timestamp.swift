/// A timestamp in one of the forms kustomize's YAML reader recognises:
/// `2001-12-14`, `2001-12-14 21:59:43.10`, `2001-12-14T21:59:43.10-05:00`
/// (month, day, hour, minute and second may have one digit).
///
/// kustomize writes such values back as RFC 3339 strings with nanoseconds.
struct Timestamp {
  var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
  var nanoseconds = 0
  var fractionDigits = 0
  /// Offset from UTC in minutes.
  var offset = 0

  init?(_ bytes: UnsafeBufferPointer<UInt8>) {
    // Quick check: every form starts with four digits and a dash.
    guard bytes.count >= 8, bytes[4] == UInt8(ascii: "-") else { return nil }
    var index = 0
    func number(maxDigits: Int) -> Int? {
      var value = 0
      var count = 0
      while count < maxDigits, index < bytes.count, ScalarResolver.isDigit(bytes[index]) {
        value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        index += 1
        count += 1
      }
      return count == 0 ? nil : value
    }
    func expect(_ byte: UInt8) -> Bool {
      guard index < bytes.count, bytes[index] == byte else { return false }
      index += 1
      return true
    }
    for position in 0..<4 where !ScalarResolver.isDigit(bytes[position]) { return nil }
    guard let year = number(maxDigits: 4), expect(UInt8(ascii: "-")),
      let month = number(maxDigits: 2), (1...12).contains(month), expect(UInt8(ascii: "-")),
      let day = number(maxDigits: 2)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
    guard day >= 1, day <= Timestamp.daysIn(month: month, year: year) else { return nil }
    if index == bytes.count { return }
    let separator = bytes[index]
    guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
    else { return nil }
    index += 1
    guard let hour = number(maxDigits: 2), hour < 24, expect(UInt8(ascii: ":")),
      let minute = number(maxDigits: 2), minute < 60, expect(UInt8(ascii: ":")),
      let second = number(maxDigits: 2), second < 60
    else { return nil }
    self.hour = hour
    self.minute = minute
    self.second = second
    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ","),
      ScalarResolver.isDigit(bytes[index + 1])
    {
      index += 1
      var digits = 0
      var nanos = 0
      while digits < 9, index < bytes.count, ScalarResolver.isDigit(bytes[index]) {
        nanos = nanos * 10 + Int(bytes[index] - UInt8(ascii: "0"))
        digits += 1
        index += 1
      }
      for _ in digits..<9 { nanos *= 10 }
      nanoseconds = nanos
      fractionDigits = digits
    }
    if separator == UInt8(ascii: " ") {
      // The space-separated form carries no zone.
      guard index == bytes.count else { return nil }
      return
    }
    guard index < bytes.count else { return nil }
    if bytes[index] == UInt8(ascii: "Z") {
      index += 1
    } else {
      guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
      let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
      index += 1
      guard bytes.count - index == 5, ScalarResolver.isDigit(bytes[index]), ScalarResolver.isDigit(bytes[index + 1]),
        bytes[index + 2] == UInt8(ascii: ":"), ScalarResolver.isDigit(bytes[index + 3]),
        ScalarResolver.isDigit(bytes[index + 4])
      else { return nil }
      let hours = Int(bytes[index] - 48) * 10 + Int(bytes[index + 1] - 48)
      let minutes = Int(bytes[index + 3] - 48) * 10 + Int(bytes[index + 4] - 48)
      guard hours < 24, minutes < 60 else { return nil }
      offset = sign * (hours * 60 + minutes)
      index += 5
    }
    guard index == bytes.count else { return nil }
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// RFC 3339 with trailing zeros of the fraction dropped, as Go's JSON writes time values.
  var rfc3339: String {
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    if nanoseconds > 0 {
      var fraction = pad(nanoseconds, 9)
      while fraction.hasSuffix("0") { fraction.removeLast() }
      out += "." + fraction
    }
    if offset == 0 {
      out += "Z"
    } else {
      let magnitude = abs(offset)
      out += (offset < 0 ? "-" : "+") + pad(magnitude / 60, 2) + ":" + pad(magnitude % 60, 2)
    }
    return out
  }
}
