import Crypto
import YAML

/// Runs once at the end of a build: appends a hash of their content to the
/// names of generated ConfigMaps and Secrets, so that a change of content rolls
/// the workloads that use them. References follow in the name-reference pass.
public struct HashSuffixTransformer: BuiltinTransformer {
  public static let kind = "HashTransformer"
  public var action: String { "adding content hashes to generated names" }

  public init() {}

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    for resource in resources.resources where resource.needsHashSuffix {
      resources.rename(resource, to: "\(resource.name)-\(ContentHash.of(resource))")
    }
  }
}

/// kustomize's content hash: SHA-256 of a JSON digest of the object, its first
/// ten hex digits with `0 1 3 a e` replaced so the result reads as no word.
///
/// The digest holds kind and data (and type for Secrets); the name is in it
/// too but always empty, because kustomize looks it up by a path its look-up
/// does not split. Reproducing that keeps the hashes identical.
public enum ContentHash {
  public static func of(_ resource: Resource) -> String {
    let object = resource.object
    var fields: [(String, String)] = []
    func value(_ key: String) -> String {
      guard let node = object[key] else { return "\"\"" }
      if case .scalar(let scalar) = node {
        var out: [UInt8] = []
        JSONWriter.writeString(scalar.value, into: &out)
        return String(decoding: out, as: UTF8.self)
      }
      return JSONWriter.write(node)
    }
    // Only generated ConfigMaps and Secrets carry a hash.
    if resource.gvk.kind == "Secret" {
      fields = [("data", value("data")), ("kind", "\"Secret\""), ("name", "\"\"")]
      if case .mapping? = object["stringData"] { fields.append(("stringData", value("stringData"))) }
      fields.append(("type", value("type")))
    } else {
      fields = [("data", value("data")), ("kind", "\"ConfigMap\""), ("name", "\"\"")]
      if case .mapping? = object["binaryData"] { fields.insert(("binaryData", value("binaryData")), at: 0) }
    }
    let json = "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    return encode(sha256Hex(json))
  }

  static func sha256Hex(_ text: String) -> String {
    let digest = SHA256.hash(data: Array(text.utf8))
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
      out.append(hex[Int(byte >> 4)])
      out.append(hex[Int(byte & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func encode(_ hex: String) -> String {
    String(
      hex.prefix(10).map { character -> Character in
        switch character {
        case "0": "g"
        case "1": "h"
        case "3": "k"
        case "a": "m"
        case "e": "t"
        default: character
        }
      })
  }
}
