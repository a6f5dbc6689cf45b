/// The order kustomize's writer gives map keys: not plain byte order but a
/// "natural" order compared character by character, where a non-letter sorts
/// before a letter (`jwks_uri` before `jwksUri`) and runs of digits compare by
/// their numeric value (`item2` before `item10`).
public enum KeyOrder {
  public static func areInIncreasingOrder(_ lhs: String, _ rhs: String) -> Bool {
    var left = lhs
    var right = rhs
    return left.withUTF8 { a in
      right.withUTF8 { b in
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) {
          return less(a, b)
        }
        return less(lhs.unicodeScalars.map(\.value), rhs.unicodeScalars.map(\.value))
      }
    }
  }

  @inline(__always) static func isLetter(_ code: UInt32) -> Bool {
    if code < 0x80 {
      return (code >= 0x41 && code <= 0x5A) || (code >= 0x61 && code <= 0x7A)
    }
    guard let scalar = Unicode.Scalar(code) else { return false }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }

  @inline(__always) static func isDigit(_ code: UInt32) -> Bool {
    if code < 0x80 { return code >= 0x30 && code <= 0x39 }
    guard let scalar = Unicode.Scalar(code) else { return false }
    return scalar.properties.generalCategory == .decimalNumber
  }

  static func less<Characters: RandomAccessCollection>(_ a: Characters, _ b: Characters) -> Bool
  where Characters.Element: BinaryInteger, Characters.Index == Int {
    let aStart = a.startIndex
    let bStart = b.startIndex
    var offset = 0
    while offset < a.count && offset < b.count {
      let ca = UInt32(a[aStart + offset])
      let cb = UInt32(b[bStart + offset])
      if ca == cb {
        offset += 1
        continue
      }
      let aLetter = isLetter(ca)
      let bLetter = isLetter(cb)
      if aLetter && bLetter { return ca < cb }
      if aLetter || bLetter { return bLetter }
      var aNumber: Int64 = 0
      var bNumber: Int64 = 0
      if ca == 0x30 || cb == 0x30 {
        var back = offset - 1
        while back >= 0 && isDigit(UInt32(a[aStart + back])) {
          if UInt32(a[aStart + back]) != 0x30 {
            aNumber = 1
            bNumber = 1
            break
          }
          back -= 1
        }
      }
      var aEnd = offset
      while aEnd < a.count && isDigit(UInt32(a[aStart + aEnd])) {
        aNumber = aNumber &* 10 &+ Int64(UInt32(a[aStart + aEnd])) &- 0x30
        aEnd += 1
      }
      var bEnd = offset
      while bEnd < b.count && isDigit(UInt32(b[bStart + bEnd])) {
        bNumber = bNumber &* 10 &+ Int64(UInt32(b[bStart + bEnd])) &- 0x30
        bEnd += 1
      }
      if aNumber != bNumber { return aNumber < bNumber }
      if aEnd != bEnd { return aEnd < bEnd }
      return ca < cb
    }
    return a.count < b.count
  }
}
