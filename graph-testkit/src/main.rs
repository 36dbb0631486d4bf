//! `graph-testkit`: run the Graph emulator on loopback for any client, in any language.

use std::process::ExitCode;

use graph_testkit::{Emulator, FaultPlan, Throttling, default_app};

const HELP: &str = "\
graph-testkit: a local Microsoft Graph emulator on 127.0.0.1

USAGE:
    cargo run -p graph-testkit -- [--port N] [--throttle] [--faults RATE] [--empty]

OPTIONS:
    --port N        listen on port N (default: a free port)
    --throttle      enforce Intune's documented throttling limits
    --faults RATE   inject faults (429/500/502/503/504) into RATE of requests, 0..1
    --empty         start without the documented example objects
    -h, --help      this text";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut builder = Emulator::builder();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
            "--port" => match args.next().and_then(|p| p.parse::<u16>().ok()) {
                Some(port) => builder = builder.port(port),
                None => return usage("--port needs a port number, e.g. --port 8080"),
            },
            "--throttle" => builder = builder.throttling(Throttling::intune()),
            "--faults" => match args
                .next()
                .and_then(|r| r.parse::<f64>().ok())
                .filter(|r| (0.0..=1.0).contains(r))
            {
                Some(rate) => builder = builder.faults(FaultPlan::new(1, rate)),
                None => return usage("--faults needs a rate between 0 and 1, e.g. --faults 0.1"),
            },
            "--empty" => builder = builder.without_vector_seed(),
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let emulator = match builder.start().await {
            Ok(emulator) => emulator,
            Err(e) => {
                eprintln!("error: cannot listen: {e}");
                return ExitCode::FAILURE;
            }
        };
        let app = default_app();
        println!(
            "Microsoft Graph emulator serving {} endpoints",
            emulator.endpoint_count()
        );
        println!("  Graph:        {}", emulator.graph_url());
        println!("  Token URL:    {}", emulator.token_url(&app.tenant_id));
        println!("  Tenant:       {}", app.tenant_id);
        println!("  Client id:    {}", app.client_id);
        println!(
            "  Client secret: {}  (a test credential of this emulator only)",
            app.client_secret.expose()
        );
        println!("  Seed policy:  {}", graph_testkit::SEED_POLICY_ID);
        println!("Press Ctrl-C to stop.");
        let _ = graph_testkit::intune_linked();
        let _ = tokio::signal::ctrl_c().await;
        emulator.shutdown().await;
        ExitCode::SUCCESS
    })
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\n\n{HELP}");
    ExitCode::from(2)
}
