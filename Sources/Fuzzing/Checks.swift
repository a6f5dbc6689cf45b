import Kustomize
import YAML

/// The properties the fuzz targets check on any input. Each returns nil when
/// the property holds (an input mrgen refuses with an error holds it too) and
/// a description of the failure otherwise; a crash is a failure by itself.
public enum FuzzChecks {
  /// Bounds small enough that one input runs in milliseconds.
  public static var limits: Limits {
    var limits = Limits()
    limits.fileBytes = 1 << 20
    limits.totalBytes = 4 << 20
    limits.resources = 2_000
    limits.kustomizationDepth = 20
    limits.parser.depth = 200
    limits.parser.aliasNodes = 20_000
    limits.parser.aliasBytes = 1 << 20
    return limits
  }

  /// Parse, emit, parse the emitted text and emit again: mrgen's own output
  /// must read back, and write out the same bytes.
  public static func yamlRoundTrip(_ bytes: [UInt8]) -> String? {
    var parser = Parser()
    parser.limits = limits.parser
    guard let documents = try? parser.parse(bytes, file: "input.yaml") else { return nil }
    let first: [UInt8]
    do {
      first = try Emitter().emit(documents)
    } catch {
      // The emitter may refuse what kustomize cannot write either; it must say so, not crash.
      return nil
    }
    let reread: [Node]
    do {
      reread = try parser.parse(first, file: "emitted.yaml")
    } catch {
      return "mrgen's own output does not parse: \(error)\n--- output:\n\(String(decoding: first, as: UTF8.self))"
    }
    do {
      let second = try Emitter().emit(reread)
      if second != first {
        return
          "emitting the re-read output changes it\n--- first:\n\(String(decoding: first, as: UTF8.self))\n--- second:\n\(String(decoding: second, as: UTF8.self))"
      }
    } catch {
      return "mrgen's own output, read back, cannot be emitted: \(error)"
    }
    return nil
  }

  /// Builds and renders the tree the input describes, in memory: an error is
  /// fine (a non-string key, which the reference refuses too, is found only
  /// when rendering), a crash or a hang is not; the checks of the build are
  /// the sanitizers' and the engine's own preconditions.
  public static func build(_ bytes: [UInt8]) -> String? {
    var builder = Builder(fileSystem: MemoryFileSystem(bytes: unpack(bytes)), limits: limits)
    guard let resources = try? builder.build(".") else { return nil }
    _ = try? Builder.render(resources)
    return nil
  }

  /// The separator between files in a packed tree: a line `#> path`.
  static let separator = Array("#> ".utf8)

  /// A tree from one input: the text before the first `#> path` line is
  /// `kustomization.yaml`; each `#> path` line starts the file at that path.
  public static func unpack(_ bytes: [UInt8]) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    var name = "kustomization.yaml"
    var content: [UInt8] = []
    var lineStart = 0
    var index = 0
    while index <= bytes.count {
      if index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
        let line = bytes[lineStart..<index]
        if line.starts(with: separator) {
          files[name] = content
          name = String(decoding: line.dropFirst(separator.count), as: UTF8.self)
          content = []
        } else {
          content.append(contentsOf: line)
          if index < bytes.count { content.append(UInt8(ascii: "\n")) }
        }
        lineStart = index + 1
      }
      index += 1
    }
    files[name] = content
    return files.filter { !$0.key.isEmpty && !$0.key.hasPrefix("/") && !$0.key.contains("..") }
  }

  /// The input for a tree of files, the inverse of `unpack` (the kustomization first).
  public static func pack(_ files: [String: [UInt8]]) -> [UInt8] {
    var bytes = files["kustomization.yaml"] ?? []
    for (name, content) in files.sorted(by: { $0.key < $1.key }) where name != "kustomization.yaml" {
      if bytes.last != UInt8(ascii: "\n"), !bytes.isEmpty { bytes.append(UInt8(ascii: "\n")) }
      bytes += separator + Array(name.utf8) + [UInt8(ascii: "\n")] + content
    }
    return bytes
  }
}
