import Foundation
import Kustomize
import YAML

/// What one upstream image accepts, read from a file under `contracts/`: the
/// pinned tag, the entrypoint, its commands' flags, the variables it reads and
/// the paths it serves on each listener. Each fact carries its upstream source.
struct Contract {
  struct Flag {
    var name: String
    var isBool: Bool
    /// The values the image accepts; nil when any value is taken.
    var values: [String]?
  }

  struct Variable {
    var name: String
    /// The value the image needs, where one matters.
    var value: String?
    var values: [String]?
  }

  /// A port the command listens on, set by a flag, and what it serves there.
  struct Listener {
    var flag: String
    /// `port` (a number) or `address` (`host:port`, `:port`, or `0` for off).
    var form: String
    var defaultValue: String
    var paths: [String]
    var prefixes: [String]

    /// The port the flag's value (or the default) listens on; nil when off.
    func port(given value: String?) -> Int? {
      let text = value ?? defaultValue
      switch form {
      case "port": return Int(text)
      default:
        guard let colon = text.lastIndex(of: ":") else { return nil }
        return Int(text[text.index(after: colon)...])
      }
    }

    func serves(_ path: String) -> Bool {
      paths.contains(path) || prefixes.contains { path.hasPrefix($0) }
    }
  }

  struct Command {
    /// The subcommand word; nil for an image without subcommands.
    var name: String?
    var flags: [Flag]
    var requiredEnvironment: [Variable]
    var listeners: [Listener]
  }

  var file: String
  var images: [String]
  var tag: String
  var entrypoint: String
  var globalFlags: [Flag]
  var commands: [Command]
  /// A prefix every variable meant for the image starts with.
  var environmentPrefix: String?
  /// Whether every prefixed variable must name a flag (`MR_EMBEDMD_DATABASE_DSN`).
  var prefixNamesFlags: Bool
  var reads: [Variable]

  /// Every contract in `directory`, one per file.
  static func loadAll(from directory: String) throws -> [Contract] {
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".yaml") }.sorted()
    return try names.map { try load(Path.join(directory, $0)) }
  }

  static func load(_ file: String) throws -> Contract {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    guard let root = try Parser().parse(text, file: file).first?.mapping else {
      throw Diagnostic(Mark(file: file, line: 1, column: 1), "a contract is a mapping")
    }
    let environment = root["environment"]?.mapping
    return Contract(
      file: file,
      images: strings(root["images"]),
      tag: root.string("tag") ?? "",
      entrypoint: root.string("entrypoint") ?? "",
      globalFlags: flags(root["globalFlags"]),
      commands: (root["commands"]?.sequence?.items ?? []).compactMap(\.mapping).map { command in
        Command(
          name: command.string("name"),
          flags: flags(command["flags"]),
          requiredEnvironment: variables(command["requiredEnvironment"]),
          listeners: (command["listeners"]?.sequence?.items ?? []).compactMap(\.mapping).map { listener in
            Listener(
              flag: listener.string("flag") ?? "",
              form: listener.string("form") ?? "port",
              defaultValue: listener.string("default") ?? "",
              paths: (listener["paths"]?.sequence?.items ?? []).compactMap { $0.mapping?.string("path") },
              prefixes: (listener["prefixes"]?.sequence?.items ?? []).compactMap { $0.mapping?.string("path") })
          })
      },
      environmentPrefix: environment?.string("prefix"),
      prefixNamesFlags: environment?["prefixNamesFlags"]?.scalar?.value == "true",
      reads: variables(environment?["reads"]))
  }

  private static func strings(_ node: Node?) -> [String] {
    (node?.sequence?.items ?? []).compactMap(\.string)
  }

  private static func flags(_ node: Node?) -> [Flag] {
    (node?.sequence?.items ?? []).compactMap(\.mapping).map { flag in
      Flag(
        name: flag.string("name") ?? "",
        isBool: flag["bool"]?.scalar?.value == "true",
        values: flag["values"].map { strings($0) })
    }
  }

  private static func variables(_ node: Node?) -> [Variable] {
    (node?.sequence?.items ?? []).compactMap(\.mapping).map { variable in
      Variable(
        name: variable.string("name") ?? "", value: variable.string("value"),
        values: variable["values"].map { strings($0) })
    }
  }
}
