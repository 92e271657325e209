// swift-tools-version:6.0
//
// concord — a terminal workbench for human evaluation of video.
// Targets follow docs/architecture.md "The parts and their arrows": one folder per part,
// arrows pointing one way (the statistics know nothing of SQL, screens or files).
import PackageDescription

let package = Package(
    name: "concord",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "concord", targets: ["concord"]),
        .library(name: "Agreement", targets: ["Agreement"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: - C modules
        // System libraries found through pkg-config; each has a module.modulemap and a tiny
        // shim header for the macros Swift cannot import (AVERROR(EAGAIN), COLOR_PAIR).
        // No pkgConfig for ncursesw: Debian's .pc file adds -D_DEFAULT_SOURCE and
        // -D_XOPEN_SOURCE=600, which SwiftPM refuses with a warning on every build; the
        // modulemap links ncursesw (a linker script that brings libtinfo) and the shim sets
        // _XOPEN_SOURCE_EXTENDED itself.
        .systemLibrary(
            name: "CCurses",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        // FFmpeg's headers only: no pkgConfig (its -lavformat would link the library) and no
        // `link` in the modulemap. CFFmpegLoader defines the functions and loads the libraries
        // on first use, so a command that never opens a clip does not load them
        // (Sources/CFFmpegLoader/README.md).
        .systemLibrary(
            name: "CFFmpeg",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]
        ),
        // Every FFmpeg function concord calls, as a stub that dlopen()s the library by its
        // soname on first call; whatever imports CFFmpeg depends on it so the symbols resolve.
        .target(name: "CFFmpegLoader", exclude: ["README.md"], linkerSettings: [.linkedLibrary("dl")]),
        // libpq, PostgreSQL's client library (pkg-config adds only -I/usr/include/postgresql
        // and -lpq; no flag SwiftPM refuses).
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // zlib (deflate for the kitty graphics protocol's o=z); libz is small, FFmpeg needs it
        // anyway, and Foundation on Linux has no deflate API. Linked (unlike FFmpeg, which
        // CFFmpegLoader loads on first use).
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        // Restores the terminal when the workbench dies of a crash signal (C: the handler
        // must be async-signal-safe).
        .target(name: "CTerminalGuard"),

        // MARK: - Libraries
        // Pure statistics over reliability data: no I/O, no dependencies.
        // libm: Double.rounded and friends lower to floor/ceil, which the test runner would
        // otherwise not link.
        .target(name: "Agreement", exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),

        // Pure statistics of opinion scores (MOS, rater screening, sureal's MLE): beside
        // Agreement, no I/O, no dependencies (docs/mos.md).
        .target(name: "OpinionScores", exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),

        // Pure consensus of categorical labels (majority vote, Dawid–Skene, MACE, GLAD):
        // beside Agreement, no I/O, no dependencies (docs/aggregation.md).
        .target(name: "Aggregation", exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),

        // Pure statistics of side-by-side preference (Bradley–Terry, Thurstone, per-rater
        // consistency): beside Aggregation, no I/O, no dependencies (docs/pairwise.md).
        .target(name: "Pairwise", exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),

        // One way to show any value on a terminal or in a message (escapes, an 80-character
        // cap): below every part that prints users' values, so all of them can use it.
        .target(name: "Printable", exclude: ["README.md"]),

        // The one JSON writer (a canonical mode for hashed text, a safe one for the rest):
        // below Rubric, Store, Interchange, Reports and the commands, which all write JSON.
        .target(name: "JSONWriter", exclude: ["README.md"]),

        // The rubric model, YAML loading with file:line:column errors, content hash.
        .target(
            name: "Rubric",
            dependencies: [
                "Printable", "JSONWriter",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),

        // SQLite's process-wide settings (sqlite3_config is variadic: C only), made by Store
        // before its first connection.
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),

        // The project file: schema and migrations, every read and write, roles, the audit log.
        .target(
            name: "Store",
            dependencies: [
                "Rubric", "Printable", "JSONWriter", "PostgresClient", "CSQLiteConfig",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The C API GRDB is built on, for the one hot loop (bulk label insert).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["README.md"]
        ),

        // One synchronous libpq connection: bound parameters, transactions, COPY, LISTEN/NOTIFY,
        // typed errors. No concord SQL: the wire under issue 16's PostgreSQL store (only Store
        // will import it).
        .target(name: "PostgresClient", dependencies: ["CLibPQ", "Printable"], exclude: ["README.md"]),

        // Probe, hash (swift-crypto), seek, decode and scale clips (FFmpeg's libraries, in-process).
        .target(name: "Media", dependencies: ["CFFmpeg", "CFFmpegLoader", "Printable", .product(name: "Crypto", package: "swift-crypto")],
                exclude: ["README.md"]),

        // RGB frames → kitty graphics, sixel, Unicode half-blocks, ASCII; the terminal capability probe.
        .target(name: "TerminalGraphics", dependencies: ["CZlib"], exclude: ["README.md"], linkerSettings: [.linkedLibrary("m")]),

        // The numbers leads, auditors and release gates read: batch labels as reliability
        // data, which statistics each place shows, the adjudication queue's order, the lead's
        // live agreement, the golden set and its version, gold accuracy, judge scores, the
        // gate; and the renderers that write them (text, HTML, Markdown, CSV, JSON).
        .target(name: "Reports", dependencies: ["Agreement", "OpinionScores", "Aggregation", "Pairwise", "Store", "Rubric", "Printable", "JSONWriter", "Interchange",
                                                .product(name: "Crypto", package: "swift-crypto")],
                exclude: ["README.md"]),

        // Files in and out: the labels CSV, Label Studio's JSON, the reliability CSV, the
        // JSON Lines export. No SQL, no screens: the commands hand rows to and from Store.
        .target(name: "Interchange", dependencies: ["Agreement", "OpinionScores", "Aggregation", "Pairwise", "Rubric", "Printable", "JSONWriter"], exclude: ["README.md"]),

        // A clip file → the facts a project records (probe, hash, size, absolute path): the one
        // intake `clip add` and `demo` share. Its own target: it needs Media, and Store must not.
        .target(name: "ClipIntake", dependencies: ["Media", "Store"], exclude: ["README.md"]),

        // `concord demo`'s project: bundled clips, the demo rubric and simulated raters, built
        // through the same library calls as the commands (not the command line's code).
        .target(name: "Demo", dependencies: ["ClipIntake", "Interchange", "Media", "Reports", "Rubric", "Store"],
                exclude: ["README.md"]),

        // The ncurses screens, key maps and event loop: no SQL, no FFmpeg calls (it asks
        // Store and Media), no statistics (it draws Reports' LiveAgreement).
        .target(name: "Workbench", dependencies: ["CCurses", "CTerminalGuard", "Store", "Media", "TerminalGraphics", "Rubric", "Agreement", "Reports", "Printable"],
                exclude: ["README.md"]),

        // MARK: - Command line
        .executableTarget(
            name: "concord",
            dependencies: [
                "Agreement", "OpinionScores", "Aggregation", "Pairwise", "Rubric", "Store", "Media", "TerminalGraphics", "Workbench", "Reports", "Printable", "ClipIntake", "JSONWriter", "Interchange", "Demo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Benchmarks (run by `make bench`, never by `make test`)
        .executableTarget(
            name: "agreement-bench",
            dependencies: ["Agreement"],
            path: "Benchmarks/agreement-bench"
        ),

        .executableTarget(
            name: "store-bench",
            dependencies: ["Store"],
            path: "Benchmarks/store-bench"
        ),

        .executableTarget(
            name: "preview-bench",
            dependencies: ["Media", "TerminalGraphics"],
            path: "Benchmarks/preview-bench"
        ),

        .executableTarget(
            name: "workbench-bench",
            dependencies: ["Store", "Media", "Rubric"],
            path: "Benchmarks/workbench-bench"
        ),

        // MARK: - Tests
        // A private PostgreSQL cluster per test (initdb as an unprivileged OS user, a socket in a
        // temporary directory), shared by every suite that needs a real server.
        .target(name: "PostgresTestSupport", dependencies: ["PostgresClient"], path: "Tests/PostgresTestSupport"),
        // Runs the Python reference scripts of Tests/Reference (JSON lines in and out).
        .target(name: "ReferenceTestSupport", path: "Tests/ReferenceTestSupport"),
        // Each lists every module its files import (none is reached only through another).
        .testTarget(name: "AgreementTests", dependencies: ["Agreement", "ReferenceTestSupport"]),
        .testTarget(name: "OpinionScoresTests", dependencies: ["OpinionScores", "ReferenceTestSupport"]),
        .testTarget(name: "AggregationTests", dependencies: ["Aggregation", "ReferenceTestSupport"]),
        .testTarget(name: "PairwiseTests", dependencies: ["Pairwise", "ReferenceTestSupport"]),
        .testTarget(name: "RubricTests", dependencies: ["Rubric", "Agreement"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Rubric", "Agreement", "PostgresClient", "PostgresTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                                                 .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Agreement"]),
        .testTarget(name: "TerminalGraphicsTests", dependencies: ["TerminalGraphics", "Agreement", "CZlib"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "Store", "Rubric", "Reports", "Media", "TerminalGraphics", "OpinionScores", "Aggregation"], exclude: ["Snapshots"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Store", "Rubric", "Agreement", "OpinionScores", "Aggregation", "Pairwise", "ReferenceTestSupport"]),
        .testTarget(name: "InterchangeTests", dependencies: ["Interchange", "JSONWriter", "OpinionScores", "Aggregation"]),
        .testTarget(name: "ClipIntakeTests", dependencies: ["ClipIntake", "Media", "Store"]),
        .testTarget(name: "DemoTests", dependencies: ["Demo", "Interchange", "Store"]),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "Printable", "PostgresTestSupport"]),
        .testTarget(name: "SystemLibrariesTests", dependencies: ["CCurses", "CFFmpeg", "CFFmpegLoader"]),
        .testTarget(name: "ConcordCLITests", dependencies: ["concord", "store-bench", "Aggregation", "Store", "Workbench", "PostgresClient", "PostgresTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "FuzzTests", dependencies: ["concord", "Store", "Rubric", "Media", "TerminalGraphics", "Agreement", "JSONWriter", "Interchange", "Reports"]),
    ]
)
