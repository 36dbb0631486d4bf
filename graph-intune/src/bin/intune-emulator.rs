//! `intune-emulator`: Intune's Graph API (every endpoint graphwire-intune declares, with its
//! service rules) on a local emulator on loopback, for any client in any language.

use std::io::Write;
use std::process::ExitCode;

/// Prints a line; a closed stdout (`| head`) is not an error worth dying for.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// The same, on stderr.
macro_rules! complain {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use graphwire_testkit::{
    ClientLimits, Emulator, FaultPlan, JournalLimits, Throttling, default_app, reader_app,
};

const HELP: &str = "\
intune-emulator: Intune's Microsoft Graph API on a local emulator on 127.0.0.1

USAGE:
    cargo run -p graphwire-intune --features emulator --bin intune-emulator -- [--port N] [--throttle] [--throttle-scale F] [--faults RATE] [--empty] [--journal-entries N] [--journal-body-bytes N] [--page-size N] [--tls]
    cargo run -p graphwire-intune --features emulator --bin intune-emulator -- --list-endpoints

OPTIONS:
    --port N        listen on port N (default: a free port)
    --throttle      enforce Intune's documented throttling limits (writes: 100 per app in 20 s)
    --throttle-scale F
                    the same limits over F times the window, at the same rate
                    (--throttle-scale 0.05: 5 writes per app in 1 s)
    --faults RATE   inject faults (429/500/502/503/504) into RATE of requests, 0..1
    --empty         start without the documented example objects
    --tls           serve HTTPS with a certificate for 127.0.0.1 and localhost, signed by a CA
                    made at start and written to a file whose path is printed (trust it with
                    NODE_EXTRA_CA_CERTS, SSL_CERT_FILE or REQUESTS_CA_BUNDLE)
    --page-size N   items per page of a list that asks for no $top (default 100)
    --journal-entries N
                    keep the newest N requests in the journal (default 10000)
    --journal-body-bytes N
                    keep at most N bytes of each request's body (default 65536)
    --list-endpoints
                    print every endpoint served, `METHOD /version/template` one per line in
                    name order, and exit (Microsoft's SDK is compared with this list)
    -h, --help      this text";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut builder = Emulator::builder();
    let mut journal = JournalLimits::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                say!("{HELP}");
                return ExitCode::SUCCESS;
            }
            "--list-endpoints" => {
                let mut lines: Vec<String> = graphwire_core::meta::Endpoint::all()
                    .map(|e| {
                        format!(
                            "{} /{}{}",
                            e.method.as_str(),
                            e.version.as_str(),
                            e.template
                        )
                    })
                    .collect();
                lines.sort();
                say!("{}", lines.join("\n"));
                return ExitCode::SUCCESS;
            }
            "--port" => match args.next().and_then(|p| p.parse::<u16>().ok()) {
                Some(port) => builder = builder.port(port),
                None => return usage("--port needs a port number, e.g. --port 8080"),
            },
            "--throttle" => {
                builder = builder.throttling(Throttling::from(
                    graphwire_intune::overlay::limits::INTUNE_LIMITS,
                ))
            }
            "--throttle-scale" => match args
                .next()
                .and_then(|f| f.parse::<f64>().ok())
                .filter(|f| *f > 0.0 && *f <= 1.0)
            {
                Some(factor) => {
                    builder = builder.throttling(
                        Throttling::from(graphwire_intune::overlay::limits::INTUNE_LIMITS)
                            .scaled(factor),
                    )
                }
                None => {
                    return usage(
                        "--throttle-scale needs a factor in (0, 1], e.g. --throttle-scale 0.05",
                    );
                }
            },
            "--faults" => match args
                .next()
                .and_then(|r| r.parse::<f64>().ok())
                .filter(|r| (0.0..=1.0).contains(r))
            {
                Some(rate) => builder = builder.faults(FaultPlan::new(1, rate)),
                None => return usage("--faults needs a rate between 0 and 1, e.g. --faults 0.1"),
            },
            "--empty" => builder = builder.without_vector_seed(),
            "--tls" => builder = builder.tls(),
            "--page-size" => match args.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(items) if items > 0 => builder = builder.page_size(items),
                _ => return usage("--page-size needs a count of at least 1, e.g. --page-size 100"),
            },
            "--journal-entries" => match args.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(entries) => journal.max_entries = entries,
                None => {
                    return usage("--journal-entries needs a count, e.g. --journal-entries 1000");
                }
            },
            "--journal-body-bytes" => match args.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(bytes) => journal.max_body_bytes = bytes,
                None => {
                    return usage(
                        "--journal-body-bytes needs a byte count, e.g. --journal-body-bytes 4096",
                    );
                }
            },
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    builder = builder
        .app(default_app())
        .app(reader_app())
        .client_limits(ClientLimits::server())
        .journal_limits(journal);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            complain!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let emulator = match builder.start().await {
            Ok(emulator) => emulator,
            Err(e) => {
                complain!("error: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        };
        let app = default_app();
        say!(
            "Microsoft Graph emulator serving {} endpoints",
            emulator.endpoint_count()
        );
        say!("  Graph:        {}", emulator.graph_url());
        say!("  Token URL:    {}", emulator.token_url(&app.tenant_id));
        say!("  Tenant:       {}", app.tenant_id);
        say!("  Client id:    {}", app.client_id);
        say!(
            "  Client secret: {}  (a test credential of this emulator only)",
            app.client_secret.expose()
        );
        let reader = reader_app();
        say!(
            "  Read-only app: client id {}, secret {}  (read permissions only: writes get 403)",
            reader.client_id,
            reader.client_secret.expose()
        );
        say!(
            "  Journal:      {}_emulator/journal  (every request received, as JSON)",
            emulator.base_url()
        );
        say!("  Seed policy:  {}", graphwire_intune::emulator_seed::SEED_POLICY_ID);
        if let Some(ca) = emulator.ca_certificate_pem() {
            let path = std::env::temp_dir().join(format!(
                "intune-emulator-{}-ca.pem",
                emulator.addr().port()
            ));
            if let Err(e) = std::fs::write(&path, ca) {
                complain!("error: cannot write the CA certificate to {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            say!(
                "  CA file:      {}  (trust it: NODE_EXTRA_CA_CERTS, SSL_CERT_FILE or REQUESTS_CA_BUNDLE)",
                path.display()
            );
        }
        say!("Press Ctrl-C to stop.");
        // Links graphwire-intune, whose declarations and rules the emulator serves.
        let _ = graphwire_intune::rules::COMPLIANCE_POLICY_CREATE.name;
        let _ = tokio::signal::ctrl_c().await;
        emulator.shutdown().await;
        ExitCode::SUCCESS
    })
}

fn usage(problem: &str) -> ExitCode {
    complain!("error: {problem}\n\n{HELP}");
    ExitCode::from(2)
}
