import YAML

/// `configMapGenerator` and `secretGenerator` entries: builds the ConfigMap or
/// Secret an entry describes, as kustomize lays it out.
struct ResourceGenerator {
  enum Kind: String {
    case configMap = "ConfigMap"
    case secret = "Secret"

    /// kustomize's name for the generator, as `buildMetadata` records it.
    var builtinKind: String { self == .configMap ? "ConfigMapGenerator" : "SecretGenerator" }
  }

  let kind: Kind
  let generator: Kustomization.Generator
  let options: Kustomization.GeneratorOptions

  /// The ConfigMap or Secret holding `pairs`, read from the entry's sources.
  func generate(from pairs: [KeyValueLoader.Pair]) -> Resource {
    let mark = generator.mark
    let object = Mapping(mark: mark)
    object["apiVersion"] = .scalar(.string("v1", mark: mark))
    object["kind"] = .scalar(.string(kind.rawValue, mark: mark))
    let metadata = Mapping(mark: mark)
    metadata["name"] = .scalar(.string(generator.name, mark: mark))
    if !generator.namespace.isEmpty { metadata["namespace"] = .scalar(.string(generator.namespace, mark: mark)) }
    if !options.labels.isEmpty { metadata["labels"] = .mapping(ResourceGenerator.pairs(options.labels, mark: mark)) }
    if !options.annotations.isEmpty {
      metadata["annotations"] = .mapping(ResourceGenerator.pairs(options.annotations, mark: mark))
    }
    object["metadata"] = .mapping(metadata)

    var textEntries: [(key: String, value: Node)] = []
    var binaryEntries: [(key: String, value: Node)] = []
    for pair in pairs {
      switch kind {
      case .secret:
        textEntries.append((pair.key, .scalar(.string(Base64.encodeLines(pair.value), mark: pair.mark))))
      case .configMap:
        if let text = String(validating: pair.value, as: UTF8.self) {
          textEntries.append((pair.key, .scalar(.string(text, mark: pair.mark))))
        } else {
          binaryEntries.append((pair.key, .scalar(.string(Base64.encodeLines(pair.value), mark: pair.mark))))
        }
      }
    }
    let data = Mapping(mark: mark)
    data.set(textEntries)
    let binaryData = Mapping(mark: mark)
    binaryData.set(binaryEntries)
    // kustomize writes `data: {}` for an empty Secret but no data for an empty ConfigMap.
    if !data.entries.isEmpty || kind == .secret { object["data"] = .mapping(data) }
    if !binaryData.entries.isEmpty { object["binaryData"] = .mapping(binaryData) }
    if kind == .secret {
      let type = generator.type ?? ""
      object["type"] = .scalar(.string(type.isEmpty ? "Opaque" : type, mark: mark))
    }
    if options.immutable { object["immutable"] = .scalar(Scalar("true", kind: .bool, mark: mark)) }

    let resource = Resource(object: object, source: mark)
    resource.needsHashSuffix = !options.disableNameSuffixHash
    return resource
  }

  static func pairs(_ pairs: StringPairs, mark: Mark) -> Mapping {
    let mapping = Mapping(mark: mark)
    mapping.set(pairs.lazy.map { (key: $0.key, value: Node.scalar(.string($0.value, mark: mark))) })
    return mapping
  }
}

/// Standard base64 with padding, as Kubernetes stores Secret data.
enum Base64 {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Base64 as kustomize's generators write it: text of 70 characters or more
  /// is cut into lines of 70, each ended by a line break (so it is written as
  /// a literal block); shorter text stays on one line.
  static func encodeLines(_ bytes: [UInt8]) -> String {
    let lineLength = 70
    let encoded = Array(encode(bytes).utf8)
    guard encoded.count >= lineLength else { return String(decoding: encoded, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(encoded.count + encoded.count / lineLength + 1)
    var start = 0
    while start < encoded.count {
      let end = min(start + lineLength, encoded.count)
      out += encoded[start..<end]
      out.append(UInt8(ascii: "\n"))
      start = end
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 2 < bytes.count {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      out += [
        alphabet[Int(chunk >> 18 & 63)], alphabet[Int(chunk >> 12 & 63)], alphabet[Int(chunk >> 6 & 63)],
        alphabet[Int(chunk & 63)],
      ]
      index += 3
    }
    let rest = bytes.count - index
    if rest == 1 {
      let chunk = UInt32(bytes[index]) << 16
      out += [alphabet[Int(chunk >> 18 & 63)], alphabet[Int(chunk >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
    } else if rest == 2 {
      let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
      out += [
        alphabet[Int(chunk >> 18 & 63)], alphabet[Int(chunk >> 12 & 63)], alphabet[Int(chunk >> 6 & 63)],
        UInt8(ascii: "="),
      ]
    }
    return String(decoding: out, as: UTF8.self)
  }
}
