import Foundation
import YAML

/// Renders a Helm chart into resources by running helm exactly as kustomize
/// v5.6 runs it, and only when the build was started with `--enable-helm`:
///
///     helm version -c --short                        (must be v3)
///     helm pull --untar --untardir HOME [--repo R] NAME [--version V]   (when the chart is not in HOME)
///     helm template RELEASE HOME/NAME [--namespace N] [--name-template T] -f VALUES [-f EXTRA]...
///          [--api-versions A]... [--kube-version K] [--include-crds] [--skip-tests] [--no-hooks] [--debug]
///
/// HOME is the chart home (`charts` under the kustomization's real folder, or
/// `helmGlobals.chartHome`), with `NAME-VERSION` appended when both a repo and
/// a version are given. Each chart gets a temporary folder `kustomize-helm-*`
/// holding the values file (`NAME-kustomize-values.yaml`) and, unless
/// `helmGlobals.configHome` is given, helm's configuration (`helm`, with
/// `.cache` and `.data` in it); helm runs in the current folder with the
/// environment plus `HELM_CONFIG_HOME`, `HELM_CACHE_HOME` and `HELM_DATA_HOME`.
/// The temporary folder is removed afterwards, whatever happens.
struct HelmInflator {
  let settings: HelmSettings
  let loader: Loader
  let kustomization: Kustomization
  /// The kustomization's real folder, which relative chart paths hang from.
  let root: String

  func inflate(_ chart: HelmChart) throws(Diagnostic) -> [Resource] {
    guard settings.enabled else {
      throw Diagnostic(
        chart.mark,
        "a Helm chart runs helm, which kustomize and mrgen do only with --enable-helm; pass it, or render the chart to YAML and list the file in 'resources'"
      )
    }
    // The flags hold unless the chart gives its own (kustomize sets them, then decodes the chart over them).
    var chart = chart
    if chart.kubeVersion.isEmpty { chart.kubeVersion = settings.kubeVersion }
    chart.apiVersions = loader.helmVersions.versions(for: chart.apiVersions)
    chart.debug = chart.debug || settings.debug
    guard !chart.name.isEmpty else { throw Diagnostic(chart.mark, "a Helm chart needs a 'name'") }
    let home = chartHome(of: chart)
    let valuesFile = chart.valuesFile.isEmpty ? "\(home)/\(chart.name)/values.yaml" : chart.valuesFile
    var extraValues: [String] = []
    for file in chart.additionalValuesFiles {
      _ = try loader.readEntry(file, in: kustomization.directory, what: "additional values file")
      extraValues.append(Path.normalize(root + "/" + file.value))
    }
    let mergeText = chart.valuesMerge.isEmpty ? HelmValues.Merge.override.rawValue : chart.valuesMerge
    guard let merge = HelmValues.Merge(rawValue: mergeText) else {
      throw Diagnostic(chart.mark, "valuesMerge must be merge, override or replace, not '\(mergeText)'")
    }

    let temporary = try HelmInflator.makeTemporaryFolder(at: chart.mark)
    defer { try? FileManager.default.removeItem(atPath: temporary) }
    let configHome = chart.globals.configHome.isEmpty ? temporary + "/helm" : chart.globals.configHome
    let runner = Runner(
      command: settings.command,
      environment: [
        "HELM_CONFIG_HOME": configHome, "HELM_CACHE_HOME": configHome + "/.cache",
        "HELM_DATA_HOME": configHome + "/.data",
      ], scratch: temporary, limit: loader.limits.fileBytes, mark: chart.mark)

    try checkVersion(try runner.run(["version", "-c", "--short"]), at: chart.mark)
    if loader.fileSystem.kind(of: "\(home)/\(chart.name)") != .directory {
      guard !chart.repo.isEmpty else {
        throw Diagnostic(
          chart.mark, "the chart '\(chart.name)' is not in '\(home)' and no 'repo' is given to pull it from")
      }
      _ = try runner.run(pullArguments(chart, home: home))
    }
    let values: [UInt8]
    if let inline = chart.valuesInline, !inline.entries.isEmpty {
      let chartValues = merge == .replace ? nil : try read(valuesFile, at: chart.mark).flatMap(\.mapping)
      values = try HelmValues.render(HelmValues.merged(inline: inline, chart: chartValues, merge: merge))
    } else {
      values = try readBytes(valuesFile, at: chart.mark)
    }
    let valuesPath = "\(temporary)/\(chart.name)-kustomize-values.yaml"
    guard FileManager.default.createFile(atPath: valuesPath, contents: Data(values)) else {
      throw Diagnostic(chart.mark, "could not write the values file '\(valuesPath)' for helm")
    }
    let output = try runner.run(templateArguments(chart, home: home, values: [valuesPath] + extraValues))
    return try resources(from: output, chart: chart)
  }

  /// The folder the chart is in (or is pulled into).
  func chartHome(of chart: HelmChart) -> String {
    let base = chart.globals.chartHome.isEmpty ? "charts" : chart.globals.chartHome
    let home = base.hasPrefix("/") ? Path.normalize(base) : Path.normalize(root + "/" + base)
    return !chart.version.isEmpty && !chart.repo.isEmpty ? "\(home)/\(chart.name)-\(chart.version)" : home
  }

  func pullArguments(_ chart: HelmChart, home: String) -> [String] {
    var arguments = ["pull", "--untar", "--untardir", home]
    if chart.repo.hasPrefix("oci://") {
      arguments.append(String(chart.repo.reversed().drop { $0 == "/" }.reversed()) + "/" + chart.name)
    } else {
      if !chart.repo.isEmpty { arguments += ["--repo", chart.repo] }
      arguments.append(chart.name)
    }
    if !chart.version.isEmpty { arguments += ["--version", chart.version] }
    return arguments
  }

  func templateArguments(_ chart: HelmChart, home: String, values: [String]) -> [String] {
    var arguments = ["template"]
    arguments += chart.releaseName.isEmpty ? ["--generate-name"] : [chart.releaseName]
    arguments.append("\(home)/\(chart.name)")
    if !chart.namespace.isEmpty { arguments += ["--namespace", chart.namespace] }
    if !chart.nameTemplate.isEmpty { arguments += ["--name-template", chart.nameTemplate] }
    for file in values { arguments += ["-f", file] }
    for version in chart.apiVersions { arguments += ["--api-versions", version] }
    if !chart.kubeVersion.isEmpty { arguments += ["--kube-version", chart.kubeVersion] }
    if chart.includeCRDs { arguments.append("--include-crds") }
    if chart.skipTests { arguments.append("--skip-tests") }
    if chart.skipHooks { arguments.append("--no-hooks") }
    if chart.debug { arguments.append("--debug") }
    return arguments
  }

  /// helm must be version 3: the first `N.N` in its answer starts with 3.
  func checkVersion(_ output: [UInt8], at mark: Mark) throws(Diagnostic) {
    let text = String(decoding: output, as: UTF8.self)
    let characters = Array(text.utf8)
    var index = 0
    while index < characters.count {
      guard characters[index].isDigit else {
        index += 1
        continue
      }
      var end = index
      while end < characters.count, characters[end].isDigit { end += 1 }
      if end + 1 < characters.count, characters[end] == UInt8(ascii: "."), characters[end + 1].isDigit {
        let major = String(decoding: characters[index..<end], as: UTF8.self)
        guard major == "3" else {
          throw Diagnostic(mark, "kustomize's Helm support needs helm v3; '\(settings.command)' is v\(major)")
        }
        return
      }
      index = end
    }
    throw Diagnostic(mark, "cannot find a version in the answer of '\(settings.command) version -c --short'")
  }

  /// A values file, read through the loader (so confined to the root as kustomize confines it).
  func readBytes(_ file: String, at mark: Mark) throws(Diagnostic) -> [UInt8] {
    let relative = file.hasPrefix("/") && Path.isWithin(file, root: root) ? Path.relative(file, from: root) : file
    return try loader.readEntry(Located(relative, mark: mark), in: kustomization.directory, what: "values file").bytes
  }

  func read(_ file: String, at mark: Mark) throws(Diagnostic) -> Node? {
    try loader.parse(try readBytes(file, at: mark), file: file).first
  }

  /// helm's output as resources; text before the first `---` is dropped if the whole does not parse.
  func resources(from output: [UInt8], chart: HelmChart) throws(Diagnostic) -> [Resource] {
    let file = "helm template \(chart.releaseName.isEmpty ? chart.name : chart.releaseName)"
    let documents: [Node]
    do throws(Diagnostic) {
      documents = try loader.parse(output, file: file)
    } catch {
      let text = String(decoding: output, as: UTF8.self)
      // As kustomize: from the first `---` on (helm may print messages before its output).
      guard let start = text.range(of: "---")?.lowerBound else { throw error }
      documents = try loader.parse(Array(text[start...].utf8), file: file)
    }
    let resources = try Loader.resources(in: documents, file: file)
    for resource in resources {
      resource.origin = .builtin(configuredIn: kustomization.file, kind: "HelmChartInflationGenerator")
    }
    return resources
  }

  /// A new folder `kustomize-helm-*` in the system's temporary folder, as Go's `os.MkdirTemp` makes it.
  static func makeTemporaryFolder(at mark: Mark) throws(Diagnostic) -> String {
    let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array("\(base)/kustomize-helm-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
    }
    guard let made else {
      throw Diagnostic(mark, "could not make a temporary folder for helm in '\(base)'")
    }
    return made
  }

  /// Runs helm with its output and errors in files of the scratch folder, bounded when read back.
  struct Runner {
    let command: String
    let environment: [String: String]
    let scratch: String
    let limit: Int
    let mark: Mark

    func run(_ arguments: [String]) throws(Diagnostic) -> [UInt8] {
      let shown = ([command] + arguments.map(Runner.redacted)).joined(separator: " ")
      guard let executable = Runner.resolve(command) else {
        throw Diagnostic(mark, "cannot run '\(shown)': no executable '\(command)' found (is helm installed?)")
      }
      let outputPath = scratch + "/.stdout"
      let errorPath = scratch + "/.stderr"
      guard FileManager.default.createFile(atPath: outputPath, contents: nil),
        FileManager.default.createFile(atPath: errorPath, contents: nil)
      else {
        throw Diagnostic(mark, "cannot run '\(shown)': its output files cannot be made in '\(scratch)'")
      }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
      process.standardInput = FileHandle.nullDevice
      do {
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        defer {
          try? output.close()
          try? errors.close()
        }
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
      } catch {
        throw Diagnostic(mark, "cannot run '\(shown)': \(error.localizedDescription)")
      }
      let output = Runner.readBounded(outputPath, limit: limit)
      guard process.terminationReason == .exit, process.terminationStatus == 0 else {
        // helm's own message, without control characters and cut at 4 KiB: a chart's
        // `fail` message is the chart author's text, which may quote values.
        let errors = String(
          String(decoding: Runner.readBounded(errorPath, limit: 4096), as: UTF8.self).unicodeScalars.filter {
            $0 == "\n" || $0 == "\t" || !(CharacterSet.controlCharacters.contains($0))
          })
        let status =
          process.terminationReason == .exit
          ? "exit status \(process.terminationStatus)" : "killed by signal \(process.terminationStatus)"
        throw Diagnostic(
          mark,
          "'\(shown)' failed (\(status))" + (errors.isEmpty ? "" : ":\n" + errors.trimmingWhitespace()))
      }
      guard output.count <= limit else {
        throw Diagnostic(
          mark,
          "the output of '\(shown)' is larger than \(Limits.describe(bytes: limit)) (raise it with --limit file-bytes=SIZE)"
        )
      }
      return output
    }

    /// An argument as shown in messages: a URL's user and password are left out.
    static func redacted(_ argument: String) -> String {
      guard let scheme = argument.range(of: "://"), let at = argument[scheme.upperBound...].firstIndex(of: "@"),
        !argument[scheme.upperBound..<at].contains("/")
      else { return argument }
      return String(argument[..<scheme.upperBound]) + "…@" + String(argument[argument.index(after: at)...])
    }

    /// At most `limit + 1` bytes of a file, so that an overrun shows.
    static func readBounded(_ path: String, limit: Int) -> [UInt8] {
      guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
      defer { try? handle.close() }
      return Array((try? handle.read(upToCount: limit + 1)) ?? Data())
    }

    /// A command with a `/` as given; a name, looked up on PATH as Go's `exec.LookPath` does.
    static func resolve(_ command: String) -> String? {
      if command.contains("/") { return command }
      let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
      for directory in path.split(separator: ":", omittingEmptySubsequences: false) {
        let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + command
        if access(candidate, X_OK) == 0 { return candidate }
      }
      return nil
    }
  }
}

extension UInt8 {
  fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
