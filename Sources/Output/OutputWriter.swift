import Kustomize
import YAML

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a render to stdout, a file or a directory, so that an error leaves
/// nothing half-written: every byte is rendered before the destination is
/// touched, files are written under temporary names and renamed into place,
/// and no file is ever written outside the directory asked for.
public struct OutputWriter {
  /// `-o`: nil for stdout.
  public var destination: String?
  /// `--prune`: once a directory is written, remove the YAML files in it that this render did not write.
  public var prune: Bool

  public init(destination: String?, prune: Bool = false) {
    self.destination = destination
    self.prune = prune
  }

  public func write(_ resources: ResourceMap) throws(Diagnostic) {
    guard let destination else {
      if prune { throw Diagnostic(Mark(file: "--prune"), "--prune needs -o DIR: it removes files from a directory") }
      try OutputWriter.writeStandardOutput(try Builder.render(resources))
      return
    }
    if destination.hasSuffix("/") || DiskFileSystem().kind(of: destination) == .directory {
      try writeDirectory(destination, resources)
    } else {
      if prune {
        throw Diagnostic(
          Mark(file: destination), "--prune needs -o DIR, a directory; '\(destination)' is a file (end it with '/')")
      }
      try OutputWriter.writeFile(destination, try Builder.render(resources))
    }
  }

  // MARK: stdout

  /// All of `bytes` to stdout. A reader that went away ends mrgen as it ends
  /// other tools (SIGPIPE); any other failure is an error with its reason.
  public static func writeStandardOutput(_ bytes: [UInt8]) throws(Diagnostic) {
    do throws(WriteError) {
      try writeAll(STDOUT_FILENO, bytes)
    } catch {
      if error.code == EPIPE {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
      }
      throw Diagnostic(Mark(file: "<stdout>"), "cannot write to standard output: \(error.reason)")
    }
  }

  public struct WriteError: Error {
    var code: Int32
    var reason: String { String(cString: strerror(code)) }
  }

  public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(WriteError) {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return 0 }
        return systemWrite(descriptor, base + offset, bytes.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        if errno == EAGAIN || errno == EWOULDBLOCK {
          // A non-blocking descriptor that is full: wait until it takes more.
          var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
          _ = poll(&ready, 1, -1)
          continue
        }
        throw WriteError(code: errno)
      }
      offset += written
    }
  }

  // MARK: one file

  /// A regular file (or a missing one) is replaced whole through a temporary
  /// file beside it; a link to one replaces the file it leads to, keeping the
  /// link. A FIFO or a device (`/dev/stdout`, `/dev/null`) is written through,
  /// never replaced.
  public static func writeFile(_ path: String, _ bytes: [UInt8]) throws(Diagnostic) {
    let at = Mark(file: path)
    var info = stat()
    if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
      guard info.st_mode & S_IFMT != S_IFDIR else { throw Diagnostic(at, "'\(path)' is a directory") }
      let descriptor = open(path, O_WRONLY | O_CLOEXEC)
      guard descriptor >= 0 else {
        throw Diagnostic(at, "cannot open '\(path)' for writing: \(String(cString: strerror(errno)))")
      }
      defer { close(descriptor) }
      do throws(WriteError) {
        try writeAll(descriptor, bytes)
      } catch {
        throw Diagnostic(at, "cannot write '\(path)': \(error.reason)")
      }
      return
    }
    // Follow a link to the file it names, so the link stays and its file is replaced.
    let target: String
    do {
      target = try DiskFileSystem().realPath(path)
    } catch .missing {
      target = path
    } catch {
      throw Diagnostic(
        at, "cannot write '\(path)': it is a symbolic link that cannot be followed; write to its target, or remove it")
    }
    let temporary = try TemporaryFile(beside: target, at: at)
    try temporary.write(bytes)
    try temporary.rename(to: target)
  }

  // MARK: a directory

  /// One file per resource, named as the reference names them; a name that
  /// would leave the directory, or two resources that would share a file, is
  /// an error before anything is written. Each file is rendered and written
  /// in turn (memory stays that of one resource), under a temporary name; all
  /// are renamed into place once every one is written.
  func writeDirectory(_ directory: String, _ resources: ResourceMap) throws(Diagnostic) {
    let at = Mark(file: directory)
    let names = try OutputWriter.fileNames(for: resources)
    if prune {
      for name in Loader.kustomizationFileNames
      where DiskFileSystem().kind(of: Path.join(directory, name)) != .missing {
        throw Diagnostic(
          at,
          "--prune would remove '\(name)' from '\(directory)', a kustomization's own folder: render into a folder of its own"
        )
      }
    }
    if DiskFileSystem().kind(of: directory) == .missing {
      try OutputWriter.makeDirectories(directory, at: at)
    }
    var written: [(TemporaryFile, String)] = []
    // On any error, every temporary file not yet renamed is removed; renamed ones are complete files.
    var renamed = 0
    defer { for (temporary, _) in written.dropFirst(renamed) { temporary.remove() } }
    for (resource, name) in zip(resources.resources, names) {
      let final = Path.join(directory, name)
      var info = stat()
      if lstat(final, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
        throw Diagnostic(resource.source, "cannot write '\(final)': a directory of that name is in the way")
      }
      let temporary = try TemporaryFile(beside: final, at: at)
      written.append((temporary, final))
      try temporary.write(try Emitter().emit(.mapping(resource.object)))
    }
    for (temporary, final) in written {
      try temporary.rename(to: final)
      renamed += 1
    }
    if prune { try OutputWriter.prune(directory, keeping: Set(names), at: at) }
  }

  /// Removes the files in `directory` (not below it) whose names end in `.yaml`
  /// or `.yml` and are not in `kept`: what an earlier render wrote for
  /// resources this one no longer has. A link is removed, never what it leads
  /// to; folders and other files stay.
  static func prune(_ directory: String, keeping kept: Set<String>, at mark: Mark) throws(Diagnostic) {
    guard let stream = opendir(directory) else {
      throw Diagnostic(mark, "cannot read the directory '\(directory)': \(String(cString: strerror(errno)))")
    }
    var stale: [String] = []
    while let entry = readdir(stream) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
        String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !kept.contains(name) else { continue }
      var info = stat()
      let path = Path.join(directory, name)
      if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG || info.st_mode & S_IFMT == S_IFLNK {
        stale.append(path)
      }
    }
    closedir(stream)
    for path in stale.sorted() where unlink(path) != 0 && errno != ENOENT {
      throw Diagnostic(mark, "cannot remove '\(path)' (--prune): \(String(cString: strerror(errno)))")
    }
  }

  /// kustomize's names: group, version and kind (the non-empty ones), then the
  /// name, lower-cased. A namespaced resource's name starts with its namespace
  /// (`default` for none) when the namespaced resources span more than one; a
  /// cluster-scoped resource's never does, and does not count as a namespace
  /// (kustomize's `WriteIndividualFiles`, which groups by effective namespace).
  public static func fileNames(for resources: ResourceMap) throws(Diagnostic) -> [String] {
    func namespaceOf(_ resource: Resource) -> String? {
      resource.gvk.isClusterScoped ? nil : resource.namespace.isEmpty ? "default" : resource.namespace
    }
    let prefixed = Set(resources.resources.compactMap(namespaceOf)).count > 1
    var taken: [String: Resource] = [:]
    var names: [String] = []
    for resource in resources.resources {
      let gvk = resource.gvk
      var name =
        ([gvk.group, gvk.version, gvk.kind].filter { !$0.isEmpty }.joined(separator: "_") + "_" + resource.name)
        .lowercased() + ".yaml"
      if prefixed, let namespace = namespaceOf(resource) {
        name = namespace.lowercased() + "_" + name
      }
      if name.contains("/") || name.contains("\0") {
        throw Diagnostic(
          resource.source,
          "\(gvk.kind) '\(resource.name)' cannot be written to its own file: its file name '\(name)' would hold '/' or NUL"
        )
      }
      if name.utf8.count > 255 {
        throw Diagnostic(
          resource.source,
          "\(gvk.kind) '\(resource.name)' cannot be written to its own file: its file name is longer than 255 bytes")
      }
      if let earlier = taken[name] {
        throw Diagnostic(
          resource.source,
          "\(gvk.kind) '\(resource.name)' and the one from \(earlier.source) would both be written to '\(name)'")
      }
      taken[name] = resource
      names.append(name)
    }
    return names
  }

  static func makeDirectories(_ path: String, at mark: Mark) throws(Diagnostic) {
    var current = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
      current += (current.isEmpty || current.hasSuffix("/") ? "" : "/") + part
      if mkdir(current, 0o777) != 0, errno != EEXIST {
        throw Diagnostic(mark, "cannot create the directory '\(current)': \(String(cString: strerror(errno)))")
      }
    }
  }
}

func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

func systemRename(_ from: String, _ to: String) -> Int32 {
  rename(from, to)
}
