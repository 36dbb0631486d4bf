//! The emulator under hostile clients (issue 14): a client that never finishes its headers, a
//! body larger than any Graph body, thousands of idle connections. Each time the emulator
//! keeps serving another client, and its memory stays bounded.

#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use std::time::Duration;

use graphwire_core::reqwest::Client as Http;
use graphwire_testkit::{ClientLimits, Emulator, default_app};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// Links graphwire-intune: its declarations are what the emulator serves.
extern crate graphwire_intune;

/// A well-behaved client's call: a token, then a list of policies. Returns the list's status.
async fn well_behaved_call(emulator: &Emulator) -> u16 {
    let auth = common::bearer_for(emulator, &default_app()).await;
    Http::new()
        .get(format!(
            "{}v1.0/deviceManagement/deviceCompliancePolicies",
            emulator.base_url()
        ))
        .header("authorization", auth)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// This process's resident memory, from /proc (Linux, where CI runs).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// The soft limit on open files: each idle connection costs this test two.
fn open_file_limit() -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .unwrap();
    line.split_whitespace()
        .nth(3)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1024)
}

#[tokio::test(start_paused = true)]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let emulator = Emulator::builder()
        .client_limits(ClientLimits::server())
        .start()
        .await
        .unwrap();
    let mut slow = TcpStream::connect(emulator.addr()).await.unwrap();
    slow.write_all(b"GET /v1.0/deviceManagement HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // Others are served while it dawdles.
    assert_eq!(well_behaved_call(&emulator).await, 200);
    // Past the 30 s header timeout (the paused clock jumps there), the server hangs up on it.
    tokio::time::sleep(Duration::from_secs(31)).await;
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest))
        .await
        .expect("the emulator closed the connection");
    assert!(read.is_ok() || rest.is_empty());
    assert!(
        !String::from_utf8_lossy(&rest).contains("200 OK"),
        "no answer to half a request"
    );
    assert_eq!(well_behaved_call(&emulator).await, 200);
}

#[tokio::test(start_paused = true)]
async fn a_body_that_never_arrives_is_answered_408() {
    let emulator = Emulator::start().await.unwrap();
    let mut slow = TcpStream::connect(emulator.addr()).await.unwrap();
    slow.write_all(
        b"POST /v1.0/deviceManagement/deviceCompliancePolicies HTTP/1.1\r\nHost: x\r\n\
          Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"displayName\"",
    )
    .await
    .unwrap();
    assert_eq!(well_behaved_call(&emulator).await, 200);
    // Past the 30 s body timeout (the paused clock jumps there): Graph's error, 408.
    let mut answer = vec![0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(60), slow.read(&mut answer))
        .await
        .expect("the emulator answered")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains(r#""code":"RequestTimeout""#)
            && answer.contains("The request body did not arrive in time."),
        "{answer}"
    );
}

#[tokio::test]
async fn a_body_larger_than_any_graph_body_is_refused_without_buffering_it() {
    let emulator = Emulator::start().await.unwrap();
    let before = resident_bytes();
    // 64 MiB announced and sent: the emulator must stop reading at its limit and answer.
    let mut greedy = TcpStream::connect(emulator.addr()).await.unwrap();
    greedy
        .write_all(
            b"POST /v1.0/deviceManagement/deviceCompliancePolicies HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/json\r\nContent-Length: 67108864\r\n\r\n",
        )
        .await
        .unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    let mut sent = 0;
    for _ in 0..64 {
        if greedy.write_all(&chunk).await.is_err() {
            break; // the emulator stopped reading: the rest is refused
        }
        sent += 1;
    }
    assert!(sent < 64, "the emulator read all 64 MiB");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), greedy.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains(r#""code":"RequestEntityTooLarge""#)
            && answer.contains("larger than the 4194304 bytes a Graph request may carry"),
        "{answer}"
    );
    let grown = resident_bytes().saturating_sub(before);
    assert!(
        grown < 32 * 1024 * 1024,
        "memory grew by {grown} bytes for one oversized body"
    );
    assert_eq!(well_behaved_call(&emulator).await, 200);
}

#[tokio::test]
async fn thousands_of_idle_connections_leave_room_for_others_and_memory_bounded() {
    let cap = 256;
    let emulator = Emulator::builder()
        .client_limits(ClientLimits {
            max_connections: cap,
            ..ClientLimits::default()
        })
        .start()
        .await
        .unwrap();
    let idle_count = (open_file_limit() / 2).saturating_sub(200).min(3000);
    assert!(idle_count > cap, "this machine allows too few open files");
    let before = resident_bytes();
    let mut idle = Vec::with_capacity(idle_count);
    for _ in 0..idle_count {
        idle.push(TcpStream::connect(emulator.addr()).await.unwrap());
    }
    // Let the accept loop catch up with the queue.
    for _ in 0..100 {
        if emulator.evicted_connections() >= (idle_count - cap) as u64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(emulator.open_connections() <= cap);
    assert_eq!(
        emulator.evicted_connections(),
        (idle_count - cap) as u64,
        "every idle connection past the cap made room"
    );
    // A well-behaved client is still served: the idlest connections make room for it.
    assert_eq!(well_behaved_call(&emulator).await, 200);
    assert!(emulator.open_connections() <= cap);
    let grown = resident_bytes().saturating_sub(before);
    assert!(
        grown < 64 * 1024 * 1024,
        "memory grew by {grown} bytes for {idle_count} idle connections"
    );
    drop(idle);
}

#[tokio::test]
async fn without_a_header_timeout_slow_clients_still_cannot_lock_others_out() {
    let emulator = Emulator::builder()
        .client_limits(ClientLimits {
            max_connections: 8,
            ..ClientLimits::default()
        })
        .start()
        .await
        .unwrap();
    let mut slow = Vec::new();
    for _ in 0..8 {
        let mut stream = TcpStream::connect(emulator.addr()).await.unwrap();
        stream
            .write_all(b"GET /v1.0/deviceManagement HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    for _ in 0..100 {
        if emulator.open_connections() == 8 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(emulator.open_connections(), 8);
    // Every slot holds a half-sent request; the well-behaved client's connections evict them.
    assert_eq!(well_behaved_call(&emulator).await, 200);
    assert!(emulator.evicted_connections() >= 1);
    assert!(emulator.open_connections() <= 8);
}

#[tokio::test]
async fn idle_connections_below_the_cap_are_all_kept() {
    let emulator = Emulator::start().await.unwrap();
    let mut idle = Vec::new();
    for _ in 0..50 {
        idle.push(TcpStream::connect(emulator.addr()).await.unwrap());
    }
    assert_eq!(well_behaved_call(&emulator).await, 200);
    for _ in 0..100 {
        if emulator.open_connections() >= 50 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(emulator.open_connections() >= 50);
    assert_eq!(emulator.evicted_connections(), 0);
}
