import ArgumentParser
import Foundation
import Output
import YAML

/// `mrgen version`: the version, in the forms `kustomize version` prints it.
///
/// Tools that run `kustomize version` read its output as a semantic version
/// and pick build flags by it (Argo CD, when mrgen is its kustomize binary).
/// The version mrgen prints is therefore the kustomize version it reproduces,
/// with mrgen's own as build metadata, which semantic versioning ignores when
/// versions are compared: `v5.6.0+mrgen.0.1.0`.
struct VersionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "version",
    abstract: "Print the version: kustomize's that mrgen reproduces, with mrgen's own as build metadata.",
    discussion: """
      `mrgen version` prints v5.6.0+mrgen.\(MRGen.version), which a semantic-version parser reads
      as v5.6.0 (build metadata takes no part in comparisons), so a tool that chooses flags by
      `kustomize version` treats mrgen as kustomize v5.6.0. `mrgen --version` prints mrgen's own.
      """
  )

  static let kustomizeVersion = "v5.6.0"

  static var semanticVersion: String { "\(kustomizeVersion)+mrgen.\(MRGen.version)" }

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case yaml, json
  }

  @Flag(help: "The short form of kustomize's old releases, {kustomize/VERSION  }, which some tools still ask for.")
  var short = false

  @Option(name: [.short, .long], help: "Print the version as a yaml or json document instead.")
  var output: Format?

  func run() throws {
    let fields = Mapping(
      [("version", Self.semanticVersion), ("mrgen", MRGen.version), ("kustomize", Self.kustomizeVersion)].map {
        Mapping.Entry(key: .string($0.0), value: .scalar(.string($0.1)))
      })
    do throws(Diagnostic) {
      let text: String
      switch output {
      case .yaml: text = try Emitter().emitString([.mapping(fields)])
      case .json: text = JSONWriter.write(.mapping(fields)) + "\n"
      case nil: text = short ? "{kustomize/\(Self.semanticVersion)  }\n" : Self.semanticVersion + "\n"
      }
      try OutputWriter.writeStandardOutput(Array(text.utf8))
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
  }
}
