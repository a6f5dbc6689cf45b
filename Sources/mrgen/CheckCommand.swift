import ArgumentParser
import Foundation
import Kustomize
import Output
import YAML

/// `mrgen check DIR [--with ...] --golden FILE`: compares a render with a committed one.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Compare the render of DIR with a golden file; exit 1 with a unified diff when they differ.",
    discussion: """
      Exit status: 0 when the render equals the golden file byte for byte, 1 when it
      differs (the diff is printed on stdout) or the build fails.
      """
  )

  @Argument(help: "The directory to build.")
  var directory: String

  @OptionGroup var composition: CompositionOptions

  @Option(help: ArgumentHelp("The expected render.", valueName: "file"))
  var golden: String

  func run() throws {
    let rendered: [UInt8]
    let expected: [UInt8]
    do throws(Diagnostic) {
      rendered = try Builder.render(try composition.build(directory))
      let limit = try composition.limits.totalBytes
      do throws(FileSystemError) {
        expected = try DiskFileSystem().readUserFile(golden, limit: limit)
      } catch {
        throw Diagnostic(Mark(file: golden), "the golden file \(error.reason)")
      }
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
    if rendered == expected { return }
    let diff = UnifiedDiff(
      old: String(decoding: expected, as: UTF8.self), new: String(decoding: rendered, as: UTF8.self),
      oldName: golden, newName: "mrgen build \(directory)")
    do throws(Diagnostic) {
      try OutputWriter.writeStandardOutput(Array(diff.text.utf8))
    } catch {
      Diagnostics.report(error)
    }
    throw BuildFailure()
  }
}
