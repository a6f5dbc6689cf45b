import ArgumentParser
import Foundation
import Kustomize
import ModelRegistry
import Output
import YAML

/// `mrgen check DIR [--with ...] --golden FILE`: compares a render with a committed one.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Compare the render of DIR with a golden file; exit 1 with a unified diff when they differ.",
    discussion: """
      Exit status: 0 when the render equals the golden file byte for byte, 1 when it
      differs or the build fails. The diff goes to stdout (a patch that turns the golden
      file into the render); the resources that changed, were added or were removed
      (kind/namespace/name) go to stderr. With --update the golden file is rewritten
      with the render instead, and the exit status is 0.
      """
  )

  enum Coloring: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
  }

  @Argument(help: ArgumentHelp("The directory to build.", valueName: "dir"), completion: .directory)
  var directory: String

  @OptionGroup var composition: CompositionOptions

  @Option(help: ArgumentHelp("The expected render.", valueName: "file"), completion: .file())
  var golden: String

  @Flag(help: "Rewrite the golden file with the render (atomically) instead of failing on a difference.")
  var update = false

  @Option(
    name: [.customLong("color")],
    help: ArgumentHelp(
      "Colour the diff: auto (when stdout is a terminal and NO_COLOR is unset), always or never.", valueName: "when"))
  var coloring: Coloring = .auto

  func run() throws {
    let rendered: [UInt8]
    var expected: [UInt8] = []
    var firstTime = false
    do throws(Diagnostic) {
      rendered = try Builder.render(try composition.build(directory))
      let limit = try composition.limits.totalBytes
      do throws(FileSystemError) {
        expected = try DiskFileSystem().readUserFile(golden, limit: limit)
      } catch .missing where update {
        firstTime = true
      } catch {
        throw Diagnostic(Mark(file: golden), "the golden file \(error.reason)")
      }
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
    if rendered == expected && !firstTime { return }
    let old = String(decoding: expected, as: UTF8.self)
    let new = String(decoding: rendered, as: UTF8.self)
    let changes = RenderChanges(old: old, new: new)
    if update {
      do throws(Diagnostic) {
        try OutputWriter.writeFile(golden, rendered)
      } catch {
        Diagnostics.report(error)
        throw BuildFailure()
      }
      Diagnostics.write("updated \(golden)\n" + changes.text)
      return
    }
    let diff = UnifiedDiff(
      old: old, new: new, oldName: golden, newName: Self.buildCommand(CommandLine.arguments), colored: colored)
    do throws(Diagnostic) {
      try OutputWriter.writeStandardOutput(Array(diff.text.utf8))
    } catch {
      Diagnostics.report(error)
    }
    Diagnostics.write(changes.text)
    throw BuildFailure()
  }

  var colored: Bool {
    switch coloring {
    case .always: true
    case .never: false
    case .auto: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR", default: ""].isEmpty
    }
  }

  /// The build this check compares with, as a command to type: `mrgen build`
  /// with every argument given to `check` but the golden file, --update and --color.
  static func buildCommand(_ arguments: [String]) -> String {
    var words = ["mrgen", "build"]
    var rest = arguments.dropFirst()
    if let check = rest.firstIndex(of: "check") { rest = rest[rest.index(after: check)...] }
    var skipNext = false
    for argument in rest {
      if skipNext {
        skipNext = false
        continue
      }
      if argument == "--golden" || argument == "--color" {
        skipNext = true
      } else if argument != "--update", !argument.hasPrefix("--golden="), !argument.hasPrefix("--color=") {
        words.append(Composition.shellWord(argument))
      }
    }
    return words.joined(separator: " ")
  }
}
