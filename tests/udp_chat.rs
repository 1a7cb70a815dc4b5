//! The suite of the udp_chat kata (UDP、广播与聊天室). It grades both `exercises/udp_chat`
//! (the learner's code) and `solutions/udp_chat` (the reference).
//!
//! Network tests use real UDP sockets on loopback only (127.0.0.1 with port 0, and the
//! loopback broadcast address 127.255.255.255, never 0.0.0.0). Every receive has a read
//! timeout, every wait for the learner's threads is bounded by `within`, every loop is
//! bounded, and nothing is timed: a test waits for the datagrams it expects, and proves
//! that something did NOT arrive by sending a later datagram and checking that it comes
//! next. The loss demonstration waits on the kernel's own count of dropped datagrams.
//! The reliability tests run on a virtual clock with a simulated channel: no sockets,
//! no real time.

#[macro_use]
#[path = "support/lang.rs"]
mod lang;
#[path = "support/threads.rs"]
mod threads;
#[path = "support/within.rs"]
mod within;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::time::Duration;

use udp_chat::protocol::MAX_DATAGRAM;

/// The longest any test waits for one datagram. A correct program answers in
/// microseconds on loopback; this bound only decides how soon a broken one is reported,
/// and stays well under the kata's 10 s timeout.
const WAIT: Duration = Duration::from_secs(2);

/// How many datagrams from strangers a receiver skips before the test gives up: a UDP
/// port hears anyone who sends to it, and a broadcast port anyone who broadcasts there.
const STRANGERS: usize = 100;

/// A socket on a free loopback port whose every receive gives up after [`WAIT`].
fn udp() -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind a UDP socket on 127.0.0.1");
    socket
        .set_read_timeout(Some(WAIT))
        .expect("set a read timeout");
    socket
}

/// The next datagram `socket` receives from `from`, skipping others; `what` says what
/// was expected, for the failure message.
fn recv_from(socket: &UdpSocket, from: SocketAddr, what: &str) -> Vec<u8> {
    let mut buf = vec![0u8; 65536];
    for _ in 0..STRANGERS {
        match socket.recv_from(&mut buf) {
            Ok((n, sender)) if sender == from => return buf[..n].to_vec(),
            Ok(_) => continue,
            Err(e) => panic!(
                "{}",
                say!(
                    "no datagram from {from} within {WAIT:?} ({e}); expected {what}",
                    "{WAIT:?} 内没有收到来自 {from} 的数据报（{e}）；本应收到 {what}"
                )
            ),
        }
    }
    panic!(
        "{}",
        say!(
            "{STRANGERS} datagrams from others and none from {from}; expected {what}",
            "收到 {STRANGERS} 个别人的数据报，却没有一个来自 {from}；本应收到 {what}"
        )
    )
}

/// The next line from `from` (its datagram as text, one `\n` at its end dropped).
fn line_from(socket: &UdpSocket, from: SocketAddr, what: &str) -> String {
    let bytes = recv_from(socket, from, what);
    let text = String::from_utf8(bytes).unwrap_or_else(|e| {
        panic!(
            "{}",
            say!(
                "a datagram that is not UTF-8 ({e}); expected {what}",
                "收到的数据报不是 UTF-8（{e}）；本应收到 {what}"
            )
        )
    });
    text.strip_suffix('\n').unwrap_or(&text).to_string()
}

/// A thread's state letter (`S`: asleep, blocked) and how many times it has blocked
/// and woken (its voluntary context switches), from /proc; `None` once it has ended.
fn thread_status(tid: &str) -> Option<(char, u64)> {
    let status = std::fs::read_to_string(format!("/proc/self/task/{tid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(str::trim)
            .expect("a field of /proc/<pid>/task/<tid>/status")
    };
    let state = field("State:").chars().next().expect("a state letter");
    let switches = field("voluntary_ctxt_switches:").parse().expect("a count");
    Some((state, switches))
}

// ---------------------------------------------------------------------------------------
// Datagrams

mod datagrams {
    use std::io::{self, ErrorKind};

    use rstest::rstest;
    use udp_chat::{is_timeout, recv_datagram};

    use super::within::{BOUND, within};
    use super::*;

    /// `size` bytes that differ from their neighbours, so a shifted copy shows.
    fn payload(size: usize) -> Vec<u8> {
        (0..size).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[rstest]
    #[case::fits(100, 200)]
    #[case::exact_fit(1024, 1024)]
    #[case::one_byte_too_many(1025, 1024)]
    #[case::too_small_buffer(2000, 1024)]
    #[case::one_byte_buffer(10, 1)]
    #[case::empty_buffer(5, 0)]
    #[case::empty_datagram(0, 16)]
    #[case::largest_datagram(65507, 65507)]
    fn receives_one_whole_datagram(#[case] size: usize, #[case] buffer: usize) {
        let (tx, rx) = (udp(), udp());
        let sent = payload(size);
        tx.send_to(&sent, rx.local_addr().unwrap())
            .expect("send a datagram");
        let mut buf = vec![0u8; buffer];
        let got = within(
            BOUND,
            &say!(
                "recv_datagram did not return although a datagram was waiting",
                "已有数据报在等待，recv_datagram 却没有返回"
            ),
            move || recv_datagram(&rx, &mut buf).map(|d| (d, buf)),
        );
        let (d, buf) = got.unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "recv_datagram failed on a {size}-byte datagram with a {buffer}-byte buffer: {e}",
                    "{size} 字节的数据报、{buffer} 字节的缓冲区，recv_datagram 失败：{e}"
                )
            )
        });
        let expected_len = size.min(buffer);
        assert_eq!(
            d.from,
            tx.local_addr().unwrap(),
            "{}",
            say!(
                "`from` should be the sender's address",
                "`from` 应为发送方的地址"
            )
        );
        assert_eq!(
            d.size,
            size,
            "{}",
            say!(
                "`size` should be the datagram's true size ({size} bytes), also when the \
                 buffer ({buffer} bytes) is smaller: ask recvmsg for it with MSG_TRUNC",
                "`size` 应为数据报的真实大小（{size} 字节），缓冲区（{buffer} 字节）更小时也一样：\
                 用 recvmsg 加 MSG_TRUNC 向内核要它"
            )
        );
        assert_eq!(
            d.len,
            expected_len,
            "{}",
            say!(
                "`len` should be the bytes now in the buffer: {expected_len} of the {size}",
                "`len` 应为缓冲区里现有的字节数：{size} 字节中的 {expected_len}"
            )
        );
        assert_eq!(
            d.truncated(),
            size > buffer,
            "{}",
            say!(
                "truncated() should say whether the buffer was too small",
                "truncated() 应说明缓冲区是否太小"
            )
        );
        assert!(
            buf[..expected_len] == sent[..expected_len],
            "{}",
            say!(
                "the buffer should hold the datagram's first {expected_len} bytes",
                "缓冲区里应是数据报的前 {expected_len} 个字节"
            )
        );
    }

    /// A cut datagram is gone for good: the next receive gets the next datagram, not the
    /// rest of the cut one.
    #[test]
    fn the_rest_of_a_cut_datagram_is_gone() {
        let (tx, rx) = (udp(), udp());
        let to = rx.local_addr().unwrap();
        tx.send_to(&payload(3000), to).unwrap();
        tx.send_to(b"next", to).unwrap();
        let got = within(
            BOUND,
            &say!(
                "recv_datagram did not return although datagrams were waiting",
                "已有数据报在等待，recv_datagram 却没有返回"
            ),
            move || {
                let mut buf = [0u8; 1000];
                let first = recv_datagram(&rx, &mut buf)?;
                let second = recv_datagram(&rx, &mut buf)?;
                Ok::<_, io::Error>((first, second, buf[..4].to_vec()))
            },
        );
        let (first, second, head) = got.expect("two datagrams received");
        assert_eq!((first.len, first.size), (1000, 3000));
        assert_eq!(
            (second.len, second.size, head.as_slice()),
            (4, 4, &b"next"[..]),
            "{}",
            say!(
                "after a cut datagram, the next receive should get the next datagram whole \
                 (a datagram is received in one call, never in parts)",
                "一个被截断的数据报之后，下一次接收应得到下一个完整的数据报（数据报一次收完，不会分几次）"
            )
        );
    }

    /// A read timeout comes back as an error, at once, and is `WouldBlock` on Linux.
    #[test]
    fn a_read_timeout_is_an_error_of_its_own() {
        let rx = udp();
        rx.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
        let outcome = within(
            BOUND,
            &say!(
                "recv_datagram did not return after the socket's read timeout (1 ms): does it \
                 wait again on WouldBlock?",
                "套接字的读超时（1 毫秒）过后 recv_datagram 仍未返回：它是不是遇到 WouldBlock 又接着等？"
            ),
            move || recv_datagram(&rx, &mut [0u8; 16]),
        );
        let e = outcome.expect_err(&say!(
            "nothing was sent, so recv_datagram should fail with the timeout",
            "没有人发送，recv_datagram 应以超时失败"
        ));
        assert_eq!(
            e.kind(),
            ErrorKind::WouldBlock,
            "{}",
            say!(
                "on Linux a read timeout is EAGAIN, ErrorKind::WouldBlock; pass the socket's \
                 error on unchanged",
                "在 Linux 上读超时是 EAGAIN，即 ErrorKind::WouldBlock；把套接字的错误原样传出"
            )
        );
        assert!(is_timeout(&e), "is_timeout({e:?}) should be true");
    }

    #[rstest]
    #[case::would_block(ErrorKind::WouldBlock, true)]
    #[case::timed_out(ErrorKind::TimedOut, true)]
    #[case::interrupted(ErrorKind::Interrupted, false)]
    #[case::connection_refused(ErrorKind::ConnectionRefused, false)]
    #[case::permission_denied(ErrorKind::PermissionDenied, false)]
    #[case::other(ErrorKind::Other, false)]
    fn is_timeout_examples(#[case] kind: ErrorKind, #[case] expected: bool) {
        let e = io::Error::from(kind);
        assert_eq!(
            is_timeout(&e),
            expected,
            "{}",
            say!(
                "is_timeout({kind:?}): only WouldBlock and TimedOut mean a timeout",
                "is_timeout({kind:?})：只有 WouldBlock 和 TimedOut 表示超时"
            )
        );
    }
}

// ---------------------------------------------------------------------------------------
// Addresses

mod addresses {
    use rstest::rstest;
    use udp_chat::{PrefixError, broadcast, netmask, network};

    use super::*;

    #[rstest]
    #[case::course_lan("192.168.1.77", 24, "255.255.255.0", "192.168.1.0", "192.168.1.255")]
    #[case::loopback("127.0.0.1", 8, "255.0.0.0", "127.0.0.0", "127.255.255.255")]
    #[case::slash_26("192.168.1.77", 26, "255.255.255.192", "192.168.1.64", "192.168.1.127")]
    #[case::slash_12("172.20.5.4", 12, "255.240.0.0", "172.16.0.0", "172.31.255.255")]
    #[case::slash_1("200.1.2.3", 1, "128.0.0.0", "128.0.0.0", "255.255.255.255")]
    #[case::slash_31("10.1.2.3", 31, "255.255.255.254", "10.1.2.2", "10.1.2.3")]
    #[case::one_host("10.1.2.3", 32, "255.255.255.255", "10.1.2.3", "10.1.2.3")]
    #[case::everything("10.1.2.3", 0, "0.0.0.0", "0.0.0.0", "255.255.255.255")]
    fn examples(
        #[case] addr: Ipv4Addr,
        #[case] prefix: u8,
        #[case] mask: Ipv4Addr,
        #[case] net: Ipv4Addr,
        #[case] last: Ipv4Addr,
    ) {
        assert_eq!(netmask(prefix), Ok(mask), "netmask({prefix})");
        assert_eq!(
            network(addr, prefix),
            Ok(net),
            "{}",
            say!(
                "network({addr}, {prefix}): the address with its host bits cleared (addr & mask)",
                "network({addr}, {prefix})：把主机位清零的地址（addr & mask）"
            )
        );
        assert_eq!(
            broadcast(addr, prefix),
            Ok(last),
            "{}",
            say!(
                "broadcast({addr}, {prefix}): the largest address of the network, its host bits \
                 all set (addr | !mask)",
                "broadcast({addr}, {prefix})：网段里最大的地址，主机位全为 1（addr | !mask）"
            )
        );
    }

    #[rstest]
    #[case::thirty_three(33)]
    #[case::sixty_four(64)]
    #[case::largest(255)]
    fn prefixes_longer_than_32_bits_are_errors(#[case] prefix: u8) {
        let addr = Ipv4Addr::new(10, 0, 0, 1);
        let error = Err(PrefixError { prefix });
        assert_eq!(netmask(prefix), error, "netmask({prefix})");
        assert_eq!(network(addr, prefix), error, "network({addr}, {prefix})");
        assert_eq!(
            broadcast(addr, prefix),
            error,
            "broadcast({addr}, {prefix})"
        );
        assert_eq!(
            PrefixError { prefix }.to_string(),
            format!("a prefix is 0 to 32 bits long, not {prefix}")
        );
    }
}

mod address_laws {
    use quickcheck_macros::quickcheck;
    use udp_chat::{broadcast, netmask, network};

    use super::*;

    /// quickcheck's `u8` made a valid prefix (0 to 32).
    fn valid(prefix: u8) -> u8 {
        prefix % 33
    }

    #[quickcheck]
    fn the_network_is_at_most_the_address_and_the_broadcast_at_least(
        addr: u32,
        prefix: u8,
    ) -> bool {
        let (addr, p) = (Ipv4Addr::from(addr), valid(prefix));
        match (network(addr, p), broadcast(addr, p)) {
            (Ok(net), Ok(last)) => net <= addr && addr <= last,
            _ => false,
        }
    }

    #[quickcheck]
    fn the_broadcast_masked_is_the_network(addr: u32, prefix: u8) -> bool {
        let (addr, p) = (Ipv4Addr::from(addr), valid(prefix));
        match (netmask(p), network(addr, p), broadcast(addr, p)) {
            (Ok(mask), Ok(net), Ok(last)) => u32::from(last) & u32::from(mask) == u32::from(net),
            _ => false,
        }
    }

    #[quickcheck]
    fn a_network_holds_two_to_the_host_bits_addresses(addr: u32, prefix: u8) -> bool {
        let (addr, p) = (Ipv4Addr::from(addr), valid(prefix));
        match (network(addr, p), broadcast(addr, p)) {
            (Ok(net), Ok(last)) => {
                u64::from(u32::from(last)) - u64::from(u32::from(net)) + 1 == 1u64 << (32 - p)
            }
            _ => false,
        }
    }

    /// Every address of a network has the same network and the same broadcast address.
    #[quickcheck]
    fn both_ends_belong_to_the_same_network(addr: u32, prefix: u8) -> bool {
        let (addr, p) = (Ipv4Addr::from(addr), valid(prefix));
        let (Ok(net), Ok(last)) = (network(addr, p), broadcast(addr, p)) else {
            return false;
        };
        network(net, p) == Ok(net)
            && network(last, p) == Ok(net)
            && broadcast(net, p) == Ok(last)
            && broadcast(last, p) == Ok(last)
    }

    #[quickcheck]
    fn a_mask_is_prefix_ones_then_zeros(prefix: u8) -> bool {
        let p = valid(prefix);
        netmask(p).is_ok_and(|mask| {
            let bits = u32::from(mask);
            bits.leading_ones() == u32::from(p) && bits.count_ones() == u32::from(p)
        })
    }

    #[quickcheck]
    fn only_prefixes_up_to_32_are_valid(addr: u32, prefix: u8) -> bool {
        let addr = Ipv4Addr::from(addr);
        let valid = prefix <= 32;
        netmask(prefix).is_ok() == valid
            && network(addr, prefix).is_ok() == valid
            && broadcast(addr, prefix).is_ok() == valid
    }
}

// ---------------------------------------------------------------------------------------
// Broadcast

mod broadcasting {
    use nix::sys::socket::{getsockopt, sockopt};
    use udp_chat::{LOOPBACK_BROADCAST, bind_shared, broadcast_sender};

    use super::*;

    /// Fails unless `SO_REUSEADDR` is set on `socket`, as the kernel reads it back: the
    /// broadcast below would work with `SO_REUSEPORT` too, so only this tells them apart.
    fn has_reuse_addr(socket: &UdpSocket, addr: SocketAddrV4) {
        let set = getsockopt(socket, sockopt::ReuseAddr).expect("getsockopt(SO_REUSEADDR)");
        assert!(
            set,
            "{}",
            say!(
                "the socket bind_shared({addr}) returned does not have SO_REUSEADDR set \
                 (getsockopt reads it back as false): set sockopt::ReuseAddr (SO_REUSEPORT is \
                 another option, with other rules) before bind",
                "bind_shared({addr}) 返回的套接字没有设置 SO_REUSEADDR（用 getsockopt 读回来是 \
                 false）：在 bind 之前设置 sockopt::ReuseAddr（SO_REUSEPORT 是另一个选项，规则不同）"
            )
        );
    }

    fn shared(port: u16, which: &str) -> UdpSocket {
        let addr = SocketAddrV4::new(LOOPBACK_BROADCAST, port);
        let socket = bind_shared(addr).unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "bind_shared({addr}) failed for the {which} receiver: {e} (AddrInUse: set \
                     SO_REUSEADDR on the new socket before bind, on every receiver)",
                    "第{which}个接收方 bind_shared({addr}) 失败：{e}（AddrInUse：要在 bind 之前给新套接字\
                     设置 SO_REUSEADDR，每个接收方都要）"
                )
            )
        });
        has_reuse_addr(&socket, addr);
        socket.set_read_timeout(Some(WAIT)).unwrap();
        socket
    }

    /// The course's broadcast on loopback: three receivers share 127.255.255.255:<port>
    /// (the first with port 0, the others on its port), one datagram is broadcast there,
    /// and each receiver gets it once.
    #[test]
    fn three_shared_receivers_each_get_one_copy() {
        let first = shared(0, say!("first", "一").as_str());
        let local = first.local_addr().unwrap();
        let port = local.port();
        assert_eq!(
            (local.ip(), port != 0),
            (std::net::IpAddr::V4(LOOPBACK_BROADCAST), true),
            "{}",
            say!(
                "bind_shared(127.255.255.255:0) should bind that address and a port the \
                 kernel picks, got {local}",
                "bind_shared(127.255.255.255:0) 应绑定这个地址和内核选的端口，实际是 {local}"
            )
        );
        let receivers = [
            first,
            shared(port, say!("second", "二").as_str()),
            shared(port, say!("third", "三").as_str()),
        ];
        let sender = broadcast_sender(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
            .expect("broadcast_sender(127.0.0.1:0)");
        let to = SocketAddrV4::new(LOOPBACK_BROADCAST, port);
        for message in [&b"hello, everyone"[..], b"second"] {
            sender.send_to(message, to).unwrap_or_else(|e| {
                panic!(
                    "{}",
                    say!(
                        "sending to the broadcast address {to} failed: {e} (PermissionDenied: \
                         broadcast_sender must set SO_BROADCAST)",
                        "向广播地址 {to} 发送失败：{e}（PermissionDenied：broadcast_sender 要设置 SO_BROADCAST）"
                    )
                )
            });
        }
        let from = sender.local_addr().unwrap();
        for (i, receiver) in receivers.iter().enumerate() {
            let what = say!(
                "receiver {i}: the broadcast datagram",
                "第 {i} 个接收方：广播的数据报"
            );
            assert_eq!(recv_from(receiver, from, &what), b"hello, everyone");
            // The second broadcast comes next: nobody got the first one twice.
            assert_eq!(
                recv_from(receiver, from, &what),
                b"second",
                "{}",
                say!(
                    "receiver {i} got the first broadcast twice",
                    "第 {i} 个接收方把第一次广播收到了两次"
                )
            );
        }
    }

    #[test]
    fn a_shared_socket_is_bound_where_asked() {
        let asked = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
        let socket = bind_shared(asked).expect("bind_shared(127.0.0.1:0)");
        has_reuse_addr(&socket, asked);
        let local = socket.local_addr().unwrap();
        assert!(
            local.ip() == Ipv4Addr::LOCALHOST && local.port() != 0,
            "{}",
            say!(
                "bind_shared(127.0.0.1:0) should bind 127.0.0.1 and a port the kernel picks, got {local}",
                "bind_shared(127.0.0.1:0) 应绑定 127.0.0.1 和内核选的端口，实际是 {local}"
            )
        );
        // A plain datagram to it arrives: it is an ordinary UDP socket.
        let tx = udp();
        tx.send_to(b"ping", local).unwrap();
        socket.set_read_timeout(Some(WAIT)).unwrap();
        assert_eq!(
            recv_from(&socket, tx.local_addr().unwrap(), "ping"),
            b"ping"
        );
    }

    #[test]
    fn a_broadcast_sender_sends_to_one_address_too() {
        let sender = broadcast_sender(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0))
            .expect("broadcast_sender(127.0.0.1:0)");
        let local = sender.local_addr().unwrap();
        assert!(
            local.ip() == Ipv4Addr::LOCALHOST && local.port() != 0,
            "{}",
            say!(
                "broadcast_sender(127.0.0.1:0) should bind 127.0.0.1 and a port the kernel picks, got {local}",
                "broadcast_sender(127.0.0.1:0) 应绑定 127.0.0.1 和内核选的端口，实际是 {local}"
            )
        );
        let rx = udp();
        sender
            .send_to(b"just you", rx.local_addr().unwrap())
            .unwrap();
        assert_eq!(recv_from(&rx, local, "just you"), b"just you");
    }
}

// ---------------------------------------------------------------------------------------
// Loss

mod loss {
    use std::collections::BTreeSet;
    use std::io::ErrorKind;
    use std::os::fd::AsRawFd;
    use std::time::Instant;

    use nix::sys::socket::{getsockopt, sockopt};
    use rstest::rstest;
    use udp_chat::set_recv_buffer;

    use super::*;

    /// What the test asks `set_recv_buffer` for.
    const ASKED: usize = 4096;
    /// The size of each datagram of the demonstration.
    const PAYLOAD: usize = 256;

    /// How many times [`drops`] reads /proc/net/udp before it gives up on finding a row.
    const TABLE_READS: usize = 1000;

    /// The kernel's count of datagrams it dropped for `socket` (the `drops` column of
    /// /proc/net/udp, found by the socket's inode).
    ///
    /// The table is read a page at a time, and between two pages the kernel finds its
    /// place again by counting rows: a socket that another test opens or closes meanwhile
    /// shifts the count, and a read can skip a row (5 of 300 full runs of the suite under
    /// `--test-threads=32` failed so, before reads were repeated). The socket is open, so
    /// its row is there: a read that misses it is read again, a bounded number of times.
    fn drops(socket: &UdpSocket) -> u64 {
        let link = std::fs::read_link(format!("/proc/self/fd/{}", socket.as_raw_fd()))
            .expect("read the socket's /proc/self/fd link");
        let link = link.to_string_lossy();
        let inode = link
            .strip_prefix("socket:[")
            .and_then(|s| s.strip_suffix(']'))
            .expect("a socket's link reads socket:[inode]");
        for _ in 0..TABLE_READS {
            let table = std::fs::read_to_string("/proc/net/udp").expect("read /proc/net/udp");
            let row = table
                .lines()
                .map(|line| line.split_whitespace().collect::<Vec<_>>())
                .find(|fields| fields.get(9) == Some(&inode));
            if let Some(row) = row {
                return row[12].parse().expect("the drops column is a number");
            }
        }
        panic!(
            "{TABLE_READS} reads of /proc/net/udp, and none had the open socket's row (inode {inode})"
        )
    }

    #[test]
    fn set_recv_buffer_sets_so_rcvbuf() {
        let socket = udp();
        let before: usize = getsockopt(&socket, sockopt::RcvBuf).unwrap();
        let granted = set_recv_buffer(&socket, ASKED).unwrap_or_else(|e| {
            panic!(
                "{}",
                say!("set_recv_buffer failed: {e}", "set_recv_buffer 失败了：{e}")
            )
        });
        let now: usize = getsockopt(&socket, sockopt::RcvBuf).unwrap();
        assert_eq!(
            granted,
            now,
            "{}",
            say!(
                "set_recv_buffer should return what the kernel granted (getsockopt SO_RCVBUF \
                 after setting it: Linux doubles the request)",
                "set_recv_buffer 应返回内核实际给的大小（设置之后用 getsockopt 读 SO_RCVBUF：Linux 会把请求翻倍）"
            )
        );
        assert!(
            now < before && now <= 4 * ASKED,
            "{}",
            say!(
                "after set_recv_buffer(.., {ASKED}) the receive buffer is {now} bytes (it was \
                 {before}): is SO_RCVBUF set?",
                "set_recv_buffer(.., {ASKED}) 之后接收缓冲区是 {now} 字节（原来是 {before}）：设置 SO_RCVBUF 了吗？"
            )
        );
    }

    /// What the kernel grants is its own business: twice the request as a rule, but a
    /// request below its minimum is raised and one above its maximum
    /// (/proc/sys/net/core/rmem_max) is cut, so only `getsockopt` knows. Every case
    /// compares the two.
    #[rstest]
    #[case::one_byte(1)]
    #[case::below_the_minimum(1000)]
    #[case::small(ASKED)]
    #[case::above_the_maximum(1 << 26)]
    fn set_recv_buffer_returns_what_the_kernel_granted(#[case] bytes: usize) {
        let socket = udp();
        let granted = set_recv_buffer(&socket, bytes).unwrap_or_else(|e| {
            panic!(
                "{}",
                say!(
                    "set_recv_buffer(.., {bytes}) failed: {e}",
                    "set_recv_buffer(.., {bytes}) 失败了：{e}"
                )
            )
        });
        let now: usize = getsockopt(&socket, sockopt::RcvBuf).unwrap();
        assert_eq!(
            granted,
            now,
            "{}",
            say!(
                "set_recv_buffer(.., {bytes}) returned {granted}, but the kernel reads back \
                 {now}: the kernel raises a request below its minimum and cuts one above its \
                 maximum, so read the granted size back with getsockopt, never compute it",
                "set_recv_buffer(.., {bytes}) 返回 {granted}，内核读回来却是 {now}：低于下限的请求\
                 会被内核提高，高于上限的会被截断，所以要用 getsockopt 读回实际大小，别自己算"
            )
        );
    }

    /// "UDP loses datagrams", shown on loopback where nothing else would lose them: a
    /// receiver with a tiny buffer that reads nothing while many datagrams arrive.
    ///
    /// Why "some" and "not all" hold on every run: the test reads nothing until the
    /// kernel has counted a drop, and a drop must come, since the datagrams sent hold
    /// more than twice the granted buffer; so not all arrive. And Linux always queues a
    /// datagram that finds the queue empty, however small the buffer ("always allow at
    /// least one packet", net/ipv4/udp.c), so the first one arrives. The test then reads
    /// until every datagram is accounted for: received, or counted as dropped.
    #[test]
    fn some_but_not_all_unread_datagrams_arrive() {
        let rx = udp();
        let granted = set_recv_buffer(&rx, ASKED).expect("set_recv_buffer");
        let tx = udp();
        let sent = 2 * granted / PAYLOAD + 2;
        for seq in 0..sent {
            let mut datagram = vec![b'.'; PAYLOAD];
            datagram[..8].copy_from_slice(&(seq as u64).to_be_bytes());
            tx.send_to(&datagram, rx.local_addr().unwrap()).unwrap();
        }

        let deadline = Instant::now() + WAIT;
        while drops(&rx) == 0 {
            assert!(
                Instant::now() < deadline,
                "{}",
                say!(
                    "{sent} datagrams of {PAYLOAD} bytes went unread into a receive buffer of \
                     {granted} bytes, yet the kernel counted no drop: is SO_RCVBUF set?",
                    "{sent} 个 {PAYLOAD} 字节的数据报无人读取地涌入 {granted} 字节的接收缓冲区，\
                     内核却没有记下一次丢弃：设置 SO_RCVBUF 了吗？"
                )
            );
            std::thread::yield_now();
        }

        rx.set_nonblocking(true).unwrap();
        let from = tx.local_addr().unwrap();
        let mut arrived = BTreeSet::new();
        let mut buf = [0u8; 2 * PAYLOAD];
        let mut dropped = drops(&rx);
        while arrived.len() as u64 + dropped < sent as u64 {
            assert!(
                Instant::now() < deadline,
                "{} received and {dropped} dropped of {sent} sent",
                arrived.len()
            );
            match rx.recv_from(&mut buf) {
                Ok((n, sender)) if sender == from => {
                    assert_eq!(n, PAYLOAD, "a datagram arrives whole or not at all");
                    let seq = u64::from_be_bytes(buf[..8].try_into().unwrap());
                    assert!(arrived.insert(seq), "datagram {seq} arrived twice");
                }
                Ok(_) => {} // a stranger
                Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::yield_now(),
                Err(e) => panic!("receiving failed: {e}"),
            }
            dropped = drops(&rx);
        }
        eprintln!(
            "{} of {sent} datagrams arrived, {dropped} were dropped (receive buffer {granted} bytes)",
            arrived.len()
        );
        assert!(!arrived.is_empty(), "the first datagram always arrives");
        assert!(arrived.len() < sent, "not all datagrams arrive");
    }
}

// ---------------------------------------------------------------------------------------
// The room, sans-IO

/// Addresses for the room's tests: fixed, and never used on the network.
fn addr(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// A room's output as sorted (address, line) pairs: the order in which the room lists
/// the recipients of one datagram is its own business.
fn sorted(out: udp_chat::Outgoing) -> Vec<(SocketAddr, String)> {
    let mut lines: Vec<_> = out.into_iter().map(|(a, r)| (a, r.to_string())).collect();
    lines.sort();
    lines
}

mod room {
    use rstest::rstest;
    use udp_chat::Room;
    use udp_chat::protocol::{ParseError, Refusal};

    use super::*;

    const ALICE: u16 = 5001;
    const BOB: u16 = 5002;
    const CAROL: u16 = 5003;
    const EVE: u16 = 5004;
    /// Alice's IP with another port: another client.
    const ALICE_OTHER_PORT: u16 = 6001;

    /// A room where alice and bob are logged in.
    fn alice_and_bob() -> Room {
        let mut room = Room::new();
        assert_eq!(
            sorted(room.handle(addr(ALICE), b"L alice")),
            [(addr(ALICE), "OK".to_string())],
            "{}",
            say!("alice logs in to an empty room", "alice 登录一个空聊天室")
        );
        assert_eq!(
            sorted(room.handle(addr(BOB), b"L bob")),
            [
                (addr(ALICE), "JOIN bob".to_string()),
                (addr(BOB), "OK".to_string())
            ],
            "{}",
            say!(
                "bob logs in: OK to bob, JOIN bob to alice",
                "bob 登录：给 bob 回 OK，给 alice 发 JOIN bob"
            )
        );
        room
    }

    fn lines(expected: &[(u16, &str)]) -> Vec<(SocketAddr, String)> {
        let mut lines: Vec<_> = expected
            .iter()
            .map(|&(port, line)| (addr(port), line.to_string()))
            .collect();
        lines.sort();
        lines
    }

    /// One datagram into the room where alice and bob are logged in (eve and carol are
    /// not): every datagram the room sends, and who is logged in afterwards.
    #[rstest]
    #[case::login(CAROL, b"L carol", &[(CAROL, "OK"), (ALICE, "JOIN carol"), (BOB, "JOIN carol")], &["alice", "bob", "carol"])]
    #[case::login_with_newline(CAROL, b"L carol\n", &[(CAROL, "OK"), (ALICE, "JOIN carol"), (BOB, "JOIN carol")], &["alice", "bob", "carol"])]
    #[case::login_with_crlf(CAROL, b"L carol\r\n", &[(CAROL, "OK"), (ALICE, "JOIN carol"), (BOB, "JOIN carol")], &["alice", "bob", "carol"])]
    #[case::chinese_name(CAROL, "L 小明".as_bytes(), &[(CAROL, "OK"), (ALICE, "JOIN 小明"), (BOB, "JOIN 小明")], &["alice", "bob", "小明"])]
    #[case::name_taken(CAROL, b"L bob", &[(CAROL, "ERR name taken: bob")], &["alice", "bob"])]
    #[case::already_logged_in(ALICE, b"L alice2", &[(ALICE, "ERR already logged in as alice")], &["alice", "bob"])]
    // Which refusal wins when two apply (the README's order, chat_protocol's): logged in
    // already comes before name taken, the datagram before the parse, the parse before
    // the session.
    #[case::login_again_as_oneself(ALICE, b"L alice", &[(ALICE, "ERR already logged in as alice")], &["alice", "bob"])]
    #[case::login_as_a_taken_name_while_logged_in(ALICE, b"L bob", &[(ALICE, "ERR already logged in as alice")], &["alice", "bob"])]
    #[case::invalid_utf8_before_the_parse(EVE, b"X \xff", &[(EVE, "ERR invalid UTF-8 at byte 2")], &["alice", "bob"])]
    #[case::missing_text_from_a_stranger(EVE, b"C bob", &[(EVE, "ERR missing text")], &["alice", "bob"])]
    #[case::chat_goes_to_the_others_only(ALICE, b"C alice hi all", &[(BOB, "MSG alice hi all")], &["alice", "bob"])]
    #[case::chat_keeps_its_spaces(ALICE, b"C alice  two  spaces ", &[(BOB, "MSG alice  two  spaces ")], &["alice", "bob"])]
    #[case::chinese_chat(BOB, "C bob 你好，alice".as_bytes(), &[(ALICE, "MSG bob 你好，alice")], &["alice", "bob"])]
    #[case::spoofed_chat_from_a_member(ALICE, b"C bob I am bob", &[(ALICE, "ERR you are alice, not bob")], &["alice", "bob"])]
    #[case::spoofed_chat_from_a_stranger(EVE, b"C bob hi", &[(EVE, "ERR not logged in")], &["alice", "bob"])]
    #[case::spoofed_quit_from_a_member(ALICE, b"Q bob", &[(ALICE, "ERR you are alice, not bob")], &["alice", "bob"])]
    #[case::spoofed_quit_from_a_stranger(EVE, b"Q bob", &[(EVE, "ERR not logged in")], &["alice", "bob"])]
    #[case::spoofed_quit_from_the_same_ip(ALICE_OTHER_PORT, b"Q alice", &[(ALICE_OTHER_PORT, "ERR not logged in")], &["alice", "bob"])]
    #[case::quit(BOB, b"Q bob", &[(BOB, "EXIT"), (ALICE, "LEAVE bob")], &["alice"])]
    #[case::quit_with_newline(BOB, b"Q bob\n", &[(BOB, "EXIT"), (ALICE, "LEAVE bob")], &["alice"])]
    #[case::empty_datagram(ALICE, b"", &[(ALICE, "ERR empty line")], &["alice", "bob"])]
    #[case::newline_only(ALICE, b"\n", &[(ALICE, "ERR empty line")], &["alice", "bob"])]
    #[case::empty_datagram_from_a_stranger(EVE, b"", &[(EVE, "ERR empty line")], &["alice", "bob"])]
    #[case::unknown_command(ALICE, b"X alice", &[(ALICE, "ERR unknown command \"X\"")], &["alice", "bob"])]
    #[case::lowercase_command(CAROL, b"l carol", &[(CAROL, "ERR unknown command \"l\"")], &["alice", "bob"])]
    #[case::missing_text(ALICE, b"C alice", &[(ALICE, "ERR missing text")], &["alice", "bob"])]
    #[case::missing_name(CAROL, b"L", &[(CAROL, "ERR missing name")], &["alice", "bob"])]
    #[case::name_with_a_space(CAROL, b"L ca rol", &[(CAROL, "ERR name has whitespace at byte 4")], &["alice", "bob"])]
    #[case::text_with_a_tab(ALICE, b"C alice a\tb", &[(ALICE, "ERR text has a control character at byte 9")], &["alice", "bob"])]
    #[case::invalid_utf8(ALICE, b"C alice \xff", &[(ALICE, "ERR invalid UTF-8 at byte 8")], &["alice", "bob"])]
    fn one_datagram(
        #[case] from: u16,
        #[case] datagram: &[u8],
        #[case] expected: &[(u16, &str)],
        #[case] logged_in: &[&str],
    ) {
        let mut room = alice_and_bob();
        let shown = String::from_utf8_lossy(datagram).into_owned();
        assert_eq!(
            sorted(room.handle(addr(from), datagram)),
            lines(expected),
            "{}",
            say!(
                "the datagrams sent for {shown:?} from port {from} (alice is {ALICE}, bob {BOB}, \
                 carol {CAROL}, eve {EVE}; when two refusals apply, the first check wins: the \
                 datagram, the parse, then for L already logged in before name taken, for C and \
                 Q not logged in, then someone else's name, then too long)",
                "端口 {from} 发来 {shown:?} 后发出的数据报（alice 是 {ALICE}，bob 是 {BOB}，carol 是 {CAROL}，eve 是 {EVE}；\
                 两种拒绝同时适用时先做的检查胜出：数据报、解析，然后对 L 先看已登录再看名字被占用，\
                 对 C 和 Q 先看未登录，再看是否用了别人的名字，最后看是否太长）"
            )
        );
        let mut names: Vec<&str> = logged_in.to_vec();
        names.sort();
        let ports = [ALICE, BOB, CAROL, EVE, ALICE_OTHER_PORT];
        let mut now: Vec<&str> = ports
            .iter()
            .filter_map(|&p| room.name_of(addr(p)))
            .collect();
        now.sort();
        assert_eq!(
            now,
            names,
            "{}",
            say!(
                "who is logged in after {shown:?} from port {from}",
                "端口 {from} 发来 {shown:?} 之后登录着的人"
            )
        );
        assert_eq!(room.len(), names.len(), "len()");
    }

    #[test]
    fn a_datagram_longer_than_the_limit_is_refused() {
        let mut room = alice_and_bob();
        let mut datagram = b"C alice ".to_vec();
        datagram.resize(MAX_DATAGRAM + 1, b'x');
        assert_eq!(
            sorted(room.handle(addr(ALICE), &datagram)),
            lines(&[(ALICE, "ERR datagram too long (limit 4096 bytes)")]),
            "{}",
            say!(
                "a datagram of MAX_DATAGRAM + 1 bytes is refused whole",
                "MAX_DATAGRAM + 1 字节的数据报整个被拒绝"
            )
        );
        let not_utf8 = vec![0xff; MAX_DATAGRAM + 1];
        assert_eq!(
            sorted(room.handle(addr(ALICE), &not_utf8)),
            lines(&[(ALICE, "ERR datagram too long (limit 4096 bytes)")]),
            "{}",
            say!(
                "a datagram too long and not UTF-8 either: its length is checked first",
                "既太长又不是 UTF-8 的数据报：先检查长度"
            )
        );
    }

    /// A chat naming bob from alice that would also be too long to relay: the spoofing
    /// is checked first.
    #[test]
    fn a_spoofed_chat_too_long_to_relay_is_refused_as_spoofed() {
        let mut room = alice_and_bob();
        let mut datagram = b"C bob ".to_vec();
        datagram.resize(MAX_DATAGRAM, b'x');
        assert_eq!(
            sorted(room.handle(addr(ALICE), &datagram)),
            lines(&[(ALICE, "ERR you are alice, not bob")]),
            "{}",
            say!(
                "when two refusals apply, the first check wins: someone else's name comes \
                 before too long to relay",
                "两种拒绝同时适用时先做的检查胜出：用了别人的名字先于太长无法转发"
            )
        );
    }

    /// `MSG alice <text>\n` is three bytes longer than `C alice <text>`: the longest chat
    /// that fits in a datagram as `MSG` is relayed, one byte more is refused.
    #[rstest]
    #[case::fits(MAX_DATAGRAM - 3, true)]
    #[case::one_byte_too_long(MAX_DATAGRAM - 2, false)]
    #[case::a_full_datagram(MAX_DATAGRAM, false)]
    fn the_longest_chat_that_can_be_relayed(#[case] request_len: usize, #[case] relayed: bool) {
        let mut room = alice_and_bob();
        let mut datagram = b"C alice ".to_vec();
        datagram.resize(request_len, b'x');
        let text = String::from_utf8(datagram[8..].to_vec()).unwrap();
        let expected = if relayed {
            lines(&[(BOB, &format!("MSG alice {text}"))])
        } else {
            lines(&[(ALICE, "ERR text too long to relay (limit 4096 bytes)")])
        };
        assert!(
            sorted(room.handle(addr(ALICE), &datagram)) == expected,
            "{}",
            say!(
                "a {request_len}-byte chat request: its MSG datagram has {} bytes, so it is {}",
                "{request_len} 字节的聊天请求：它的 MSG 数据报有 {} 字节，所以应{}",
                request_len + 3,
                if relayed {
                    if lang::zh() { "转发" } else { "relayed" }
                } else if lang::zh() {
                    "被拒绝"
                } else {
                    "refused"
                }
            )
        );
    }

    #[test]
    fn a_name_is_free_again_after_quit() {
        let mut room = alice_and_bob();
        room.handle(addr(BOB), b"Q bob");
        assert_eq!(
            sorted(room.handle(addr(CAROL), b"L bob")),
            lines(&[(CAROL, "OK"), (ALICE, "JOIN bob")]),
            "{}",
            say!(
                "after bob quit, another address may log in as bob",
                "bob 退出之后，别的地址可以用 bob 这个名字登录"
            )
        );
        assert_eq!(room.addr_of("bob"), Some(addr(CAROL)));
        assert_eq!(room.name_of(addr(BOB)), None);
        assert_eq!(
            sorted(room.handle(addr(BOB), b"C bob hi")),
            lines(&[(BOB, "ERR not logged in")]),
            "{}",
            say!(
                "bob's old address is nobody now",
                "bob 原来的地址现在不属于任何人"
            )
        );
    }

    #[test]
    fn names_and_addresses_both_ways() {
        let mut room = Room::new();
        assert!(room.is_empty());
        assert_eq!(room.len(), 0);
        assert_eq!(
            (room.name_of(addr(ALICE)), room.addr_of("alice")),
            (None, None)
        );
        room.handle(addr(ALICE), b"L alice");
        room.handle(addr(ALICE_OTHER_PORT), "L 小明".as_bytes());
        assert_eq!(room.len(), 2);
        assert!(!room.is_empty());
        assert_eq!(room.name_of(addr(ALICE)), Some("alice"));
        assert_eq!(
            room.name_of(addr(ALICE_OTHER_PORT)),
            Some("小明"),
            "{}",
            say!(
                "an address is an IP and a port: 127.0.0.1:{ALICE_OTHER_PORT} is not 127.0.0.1:{ALICE}",
                "地址是 IP 加端口：127.0.0.1:{ALICE_OTHER_PORT} 不是 127.0.0.1:{ALICE}"
            )
        );
        assert_eq!(room.addr_of("alice"), Some(addr(ALICE)));
        assert_eq!(room.addr_of("小明"), Some(addr(ALICE_OTHER_PORT)));
        assert_eq!(room.addr_of("bob"), None);
    }

    #[test]
    fn notice_reaches_everyone_logged_in() {
        let mut room = alice_and_bob();
        room.handle(addr(EVE), b"L");
        let out = room.notice("服务器 10 分钟后重启").expect("a valid notice");
        assert_eq!(
            sorted(out),
            lines(&[
                (ALICE, "NOTICE 服务器 10 分钟后重启"),
                (BOB, "NOTICE 服务器 10 分钟后重启")
            ]),
            "{}",
            say!(
                "a notice goes to every logged-in client, and only to them",
                "公告发给每个已登录的客户端，且只发给他们"
            )
        );
        assert!(Room::new().notice("nobody hears this").unwrap().is_empty());
    }

    #[rstest]
    #[case::empty("", Refusal::Parse(ParseError::MissingText))]
    #[case::tab("a\tb", Refusal::Parse(ParseError::TextControl { at: 1 }))]
    #[case::tab_after_chinese("你\tb", Refusal::Parse(ParseError::TextControl { at: 3 }))]
    #[case::newline("line\n", Refusal::Parse(ParseError::TextControl { at: 4 }))]
    #[case::too_long(&"x".repeat(MAX_DATAGRAM - 7), Refusal::TooLongToRelay)]
    fn notice_refuses_what_cannot_be_sent(#[case] text: &str, #[case] why: Refusal) {
        let mut room = alice_and_bob();
        assert_eq!(
            room.notice(text).map(sorted),
            Err(why),
            "{}",
            say!(
                "notice({:?}...) should be refused and send nothing; a notice is no request, so \
                 there is no line around its text, and `at` counts bytes from the start of the \
                 text: protocol::check_text(text, 0)",
                "notice({:?}...) 应被拒绝，什么也不发；公告不是请求，文字外面没有一行，`at` 从文字\
                 开头按字节算起：protocol::check_text(text, 0)",
                text.chars().take(20).collect::<String>()
            )
        );
    }

    #[test]
    fn the_longest_notice_fits_in_a_datagram() {
        let mut room = alice_and_bob();
        // `NOTICE ` (7 bytes) + text + `\n` = MAX_DATAGRAM.
        let text = "x".repeat(MAX_DATAGRAM - 8);
        let out = room.notice(&text).expect("the longest notice that fits");
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn close_ends_every_session() {
        let mut room = alice_and_bob();
        assert_eq!(
            sorted(room.close()),
            lines(&[(ALICE, "EXIT"), (BOB, "EXIT")]),
            "{}",
            say!(
                "close sends EXIT to everyone logged in",
                "close 给每个已登录的人发 EXIT"
            )
        );
        assert!(
            room.is_empty(),
            "{}",
            say!("close empties the room", "close 之后聊天室是空的")
        );
        assert_eq!(room.name_of(addr(ALICE)), None);
        assert_eq!(room.addr_of("bob"), None);
        assert_eq!(
            sorted(room.handle(addr(ALICE), b"L alice")),
            lines(&[(ALICE, "OK")]),
            "{}",
            say!("after close, names are free", "close 之后名字都空出来了")
        );
    }

    /// The course's session, everything each client received, compared with the
    /// snapshot in tests/snapshots/.
    #[test]
    fn transcript() {
        let people = [
            ("alice", addr(ALICE)),
            ("bob", addr(BOB)),
            ("小明", addr(CAROL)),
            ("eve", addr(EVE)),
        ];
        let script: [(usize, &str); 13] = [
            (0, "L alice"),
            (1, "L bob"),
            (2, "L 小明"),
            (3, "L bob"),
            (0, "C alice 大家好"),
            (3, "C bob I am bob"),
            (2, "C 小明 你好 alice"),
            (1, "C alice not me"),
            (3, "L eve"),
            (1, "Q bob"),
            (3, "C eve hi"),
            (1, "C bob still here?"),
            (2, "Q 小明"),
        ];
        let mut room = Room::new();
        let mut log = String::new();
        for (who, datagram) in script {
            let (name, from) = people[who];
            log.push_str(&format!("{name} > {datagram}\n"));
            for (to, line) in sorted(room.handle(from, datagram.as_bytes())) {
                let to = people
                    .iter()
                    .find(|(_, a)| *a == to)
                    .map_or("?", |(n, _)| n);
                log.push_str(&format!("    {to} < {line}\n"));
            }
        }
        let endings = [
            (
                "(admin) notice bye",
                room.notice("bye").expect("a valid notice"),
            ),
            ("(server) close", room.close()),
        ];
        for (what, out) in endings {
            log.push_str(&format!("{what}\n"));
            for (to, line) in sorted(out) {
                let to = people
                    .iter()
                    .find(|(_, a)| *a == to)
                    .map_or("?", |(n, _)| n);
                log.push_str(&format!("    {to} < {line}\n"));
            }
        }
        insta::assert_snapshot!(log);
    }
}

mod room_model {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use udp_chat::Room;
    use udp_chat::protocol::{Request, check_text, parse_request};

    use super::*;

    const NAMES: [&str; 3] = ["alice", "bob", "小明"];
    const TEXTS: [&str; 4] = ["hi", "你好", " spaced  out ", "a b c"];

    /// Four clients; the last two share an IP and differ only in their ports.
    fn client(i: usize) -> SocketAddr {
        [
            "127.0.0.1:7001",
            "127.0.0.1:7002",
            "127.0.0.2:7003",
            "127.0.0.2:7004",
        ][i]
            .parse()
            .unwrap()
    }

    #[derive(Debug, Clone)]
    enum Step {
        /// A datagram from client `.0`.
        Datagram(usize, Vec<u8>),
        /// The admin's notice.
        Notice(String),
    }

    fn datagram() -> impl Strategy<Value = Vec<u8>> {
        let name = (0..NAMES.len()).prop_map(|i| NAMES[i]);
        let text = (0..TEXTS.len()).prop_map(|i| TEXTS[i]);
        prop_oneof![
            4 => name.clone().prop_map(|n| format!("L {n}").into_bytes()),
            5 => (name.clone(), text).prop_map(|(n, t)| format!("C {n} {t}").into_bytes()),
            2 => name.prop_map(|n| format!("Q {n}\n").into_bytes()),
            1 => prop::sample::select(vec![
                b"".to_vec(),
                b"\n".to_vec(),
                b"X".to_vec(),
                b"C".to_vec(),
                b"L two words".to_vec(),
                b"C bob \xff".to_vec(),
            ]),
        ]
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            12 => (0..4usize, datagram()).prop_map(|(i, d)| Step::Datagram(i, d)),
            1 => prop::sample::select(vec!["maintenance at 10", "", "tab\there"])
                .prop_map(|t| Step::Notice(t.to_string())),
        ]
    }

    /// The room as the course describes it: a map of names to clients (and back).
    #[derive(Default)]
    struct Model {
        by_name: BTreeMap<String, usize>,
        by_client: BTreeMap<usize, String>,
    }

    impl Model {
        /// What the room must send for one datagram from client `i`.
        fn datagram(&mut self, i: usize, bytes: &[u8]) -> Vec<(usize, String)> {
            let line = match std::str::from_utf8(bytes) {
                Ok(line) => line,
                Err(e) => {
                    return vec![(i, format!("ERR invalid UTF-8 at byte {}", e.valid_up_to()))];
                }
            };
            let line = line.strip_suffix('\n').unwrap_or(line);
            let request = match parse_request(line) {
                Ok(request) => request,
                Err(e) => return vec![(i, format!("ERR {e}"))],
            };
            let me = self.by_client.get(&i).cloned();
            match (request, me) {
                (Request::Login(_), Some(me)) => {
                    vec![(i, format!("ERR already logged in as {me}"))]
                }
                (Request::Login(name), None) if self.by_name.contains_key(&name) => {
                    vec![(i, format!("ERR name taken: {name}"))]
                }
                (Request::Login(name), None) => {
                    let mut out = self.others(i, &format!("JOIN {name}"));
                    out.push((i, "OK".to_string()));
                    self.by_name.insert(name.clone(), i);
                    self.by_client.insert(i, name);
                    out
                }
                (Request::Chat { .. } | Request::Quit(_), None) => {
                    vec![(i, "ERR not logged in".to_string())]
                }
                (Request::Chat { name, .. } | Request::Quit(name), Some(me)) if name != me => {
                    vec![(i, format!("ERR you are {me}, not {name}"))]
                }
                (Request::Chat { name, text }, Some(_)) => {
                    self.others(i, &format!("MSG {name} {text}"))
                }
                (Request::Quit(name), Some(_)) => {
                    self.by_name.remove(&name);
                    self.by_client.remove(&i);
                    let mut out = self.others(i, &format!("LEAVE {name}"));
                    out.push((i, "EXIT".to_string()));
                    out
                }
            }
        }

        fn others(&self, except: usize, line: &str) -> Vec<(usize, String)> {
            self.by_client
                .keys()
                .filter(|&&c| c != except)
                .map(|&c| (c, line.to_string()))
                .collect()
        }
    }

    fn as_addrs(lines: Vec<(usize, String)>) -> Vec<(SocketAddr, String)> {
        let mut lines: Vec<_> = lines.into_iter().map(|(i, l)| (client(i), l)).collect();
        lines.sort();
        lines
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Random scripts of (client, datagram) and notices: after each step the room
        /// sends exactly what the model says, and knows exactly who is who.
        #[test]
        fn agrees_with_a_model_map(steps in prop::collection::vec(step(), 1..40)) {
            let mut room = Room::new();
            let mut model = Model::default();
            for (n, step) in steps.iter().enumerate() {
                match step {
                    Step::Datagram(i, bytes) => {
                        let expected = as_addrs(model.datagram(*i, bytes));
                        prop_assert_eq!(
                            sorted(room.handle(client(*i), bytes)),
                            expected,
                            "{}",
                            say!(
                                "step {}: {:?} from client {} ({})",
                                "第 {} 步：客户端 {} ({}) 发来 {:?}",
                                n, String::from_utf8_lossy(bytes), i, client(*i)
                            )
                        );
                    }
                    Step::Notice(text) => {
                        let got = room.notice(text).map(sorted);
                        if check_text(text, 0).is_ok() {
                            let expected = as_addrs(model.others(usize::MAX, &format!("NOTICE {text}")));
                            prop_assert_eq!(got, Ok(expected), "step {}: notice({:?})", n, text);
                        } else {
                            prop_assert!(got.is_err(), "step {}: notice({:?}) should be refused", n, text);
                        }
                    }
                }
                prop_assert_eq!(room.len(), model.by_name.len(), "step {}: len()", n);
                prop_assert_eq!(room.is_empty(), model.by_name.is_empty(), "step {}: is_empty()", n);
                for i in 0..4 {
                    prop_assert_eq!(
                        room.name_of(client(i)),
                        model.by_client.get(&i).map(String::as_str),
                        "step {}: name_of({})", n, client(i)
                    );
                }
                for name in NAMES {
                    prop_assert_eq!(
                        room.addr_of(name),
                        model.by_name.get(name).map(|&i| client(i)),
                        "step {}: addr_of({:?})", n, name
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The server, on real sockets

mod server {
    use std::io;
    use std::os::fd::{BorrowedFd, RawFd};
    use std::sync::Arc;
    use std::thread;

    use nix::sys::socket::{SockaddrStorage, getsockname, getsockopt, sockopt};
    use udp_chat::protocol::{ParseError, Refusal};
    use udp_chat::{Server, TICK};

    use super::within::{BOUND, within};
    use super::*;

    /// Two servers bound at once, each on a port of its own: `bind` binds where it is
    /// asked (port 0: any free port the system gives), never a port it picked.
    #[test]
    fn two_servers_bind_at_once_on_ports_of_their_own() {
        let bind = |which: &str| {
            Server::bind(addr(0)).unwrap_or_else(|e| {
                panic!(
                    "{}",
                    say!(
                        "Server::bind(127.0.0.1:0) for the {which} server failed: {e} (does bind use a fixed port instead of the address it is given? Port 0 asks the system for any free port)",
                        "为{which}服务器调用 Server::bind(127.0.0.1:0) 失败了：{e}（bind 是否用了固定端口，而不是传入的地址？端口 0 表示由系统分配任意空闲端口）"
                    )
                )
            })
        };
        let first = bind(&say!("first", "第一个"));
        let second = bind(&say!("second", "第二个"));
        let (a, b) = (first.local_addr(), second.local_addr());
        assert!(
            a != b && a.port() != 0 && b.port() != 0,
            "{}",
            say!(
                "two servers bound to 127.0.0.1:0 should have two ports, got {a} and {b}",
                "两个绑定到 127.0.0.1:0 的服务器应有两个不同端口，却得到 {a} 和 {b}"
            )
        );
    }

    /// A server serving on a thread of its own.
    struct Serving {
        server: Arc<Server>,
        addr: SocketAddr,
        thread: Option<threads::Thread<io::Result<()>>>,
        /// The serving thread's id in /proc/self/task.
        tid: String,
    }

    impl Serving {
        fn start() -> Serving {
            let server = Server::bind(addr(0)).unwrap_or_else(|e| {
                panic!(
                    "{}",
                    say!(
                        "Server::bind(127.0.0.1:0) failed: {e}",
                        "Server::bind(127.0.0.1:0) 失败了：{e}"
                    )
                )
            });
            let addr = server.local_addr();
            assert!(
                addr.ip().is_loopback() && addr.port() != 0,
                "{}",
                say!(
                    "local_addr() should be the bound address, got {addr}",
                    "local_addr() 应为绑定的地址，却得到 {addr}"
                )
            );
            let server = Arc::new(server);
            let serving = Arc::clone(&server);
            let (tell_tid, tid) = std::sync::mpsc::channel();
            let thread = threads::spawn("serve", move || {
                // /proc/thread-self links to <pid>/task/<tid>.
                let me = std::fs::read_link("/proc/thread-self").expect("read /proc/thread-self");
                let _ = tell_tid.send(me.file_name().unwrap().to_string_lossy().into_owned());
                serving.serve()
            });
            let tid = tid.recv().expect("the serving thread says who it is");
            Serving {
                server,
                addr,
                thread: Some(thread),
                tid,
            }
        }

        /// Waits until `serve`, with nothing to receive, has woken from a wait and gone
        /// back to waiting: its read timeout passed at least once, and it went on. Counted
        /// by the kernel (the thread seen asleep, then asleep again after more voluntary
        /// context switches), never timed. Returns false if `serve` returned instead.
        fn idle_through_a_timeout(&self) -> bool {
            let deadline = std::time::Instant::now() + WAIT;
            let mut asleep_after = None;
            loop {
                let Some((state, switches)) = thread_status(&self.tid) else {
                    return false;
                };
                if state == 'S' {
                    match asleep_after {
                        None => asleep_after = Some(switches),
                        Some(before) if switches > before => return true,
                        Some(_) => {}
                    }
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "{}",
                    say!(
                        "serve, idle, never woke up within {WAIT:?}: set a read timeout (TICK) on \
                         its socket, so that it can look at the stop flag while nobody sends",
                        "空闲的 serve 在 {WAIT:?} 内一次也没醒：给它的套接字设读超时（TICK），\
                         这样没人发送时它也能去看停止标志"
                    )
                );
                thread::yield_now();
            }
        }

        fn client(&self) -> Client {
            Client {
                socket: udp(),
                server: self.addr,
            }
        }

        /// Stops the server and returns what `serve` returned.
        fn stop(mut self) -> io::Result<()> {
            self.server.stop();
            let thread = self.thread.take().expect("serving");
            within(
                BOUND,
                &say!(
                    "serve did not return after stop: does it wake up every TICK (a read \
                     timeout on its socket) to look at the stop flag?",
                    "stop 之后 serve 没有返回：它有没有每个 TICK 醒一次（给套接字设读超时）去看停止标志？"
                ),
                // A panic of serve comes back here with its message and place.
                move || thread.join(),
            )
        }
    }

    impl Drop for Serving {
        fn drop(&mut self) {
            // Not while a test fails: `stop` is the learner's code too, and a second panic
            // would abort the process. The serving thread then ends with the process.
            if !thread::panicking() {
                self.server.stop();
            }
        }
    }

    struct Client {
        socket: UdpSocket,
        server: SocketAddr,
    }

    impl Client {
        fn send(&self, datagram: &[u8]) {
            self.socket
                .send_to(datagram, self.server)
                .expect("send to the server");
        }

        /// The next line from the server.
        fn line(&self, what: &str) -> String {
            line_from(
                &self.socket,
                self.server,
                &say!(
                    "{what} (is serve running, and does it answer this datagram?)",
                    "{what}（serve 在运行吗？它回复这个数据报了吗？）"
                ),
            )
        }

        fn expect(&self, line: &str) {
            assert_eq!(self.line(line), line);
        }

        fn login(&self, name: &str) {
            self.send(format!("L {name}").as_bytes());
            self.expect("OK");
        }
    }

    /// The read timeout (`SO_RCVTIMEO`) of this process's socket bound to `addr`, as the
    /// kernel reads it back (`None`: no timeout, a wait for ever); `Err` when no socket of
    /// the process has that address. The socket is found among the descriptors in
    /// /proc/self/fd by its address (`getsockname`), since `Server` keeps it private.
    fn read_timeout_of_socket_at(addr: SocketAddr) -> Result<Option<Duration>, String> {
        let fds = std::fs::read_dir("/proc/self/fd").map_err(|e| format!("/proc/self/fd: {e}"))?;
        for entry in fds.flatten() {
            let Ok(fd) = entry.file_name().to_string_lossy().parse::<RawFd>() else {
                continue;
            };
            // Not a socket, or closed since the folder was read: not the one.
            let Ok(name) = getsockname::<SockaddrStorage>(fd) else {
                continue;
            };
            let bound = name.as_sockaddr_in().map(|a| SocketAddr::V4((*a).into()));
            if bound != Some(addr) {
                continue;
            }
            // SAFETY: `fd` is the socket bound to `addr`, the server's, which the caller's
            // `Serving` keeps open for as long as this borrow lives (this call only).
            let socket = unsafe { BorrowedFd::borrow_raw(fd) };
            let timeout = getsockopt(&socket, sockopt::ReceiveTimeout)
                .map_err(|e| format!("getsockopt(SO_RCVTIMEO): {e}"))?;
            let timeout = Duration::from_secs(timeout.tv_sec() as u64)
                + Duration::from_micros(timeout.tv_usec() as u64);
            return Ok((!timeout.is_zero()).then_some(timeout));
        }
        Err(format!("no socket of this process is bound to {addr}"))
    }

    /// About `bytes` bytes of Chinese text (3 bytes a character), padded with `!`.
    fn chinese_text(bytes: usize) -> String {
        let mut text: String = "你好世界聊天室广播数据报"
            .chars()
            .cycle()
            .take_while({
                let mut len = 0;
                move |c| {
                    len += c.len_utf8();
                    len <= bytes
                }
            })
            .collect();
        while text.len() < bytes {
            text.push('!');
        }
        text
    }

    #[test]
    fn a_long_chinese_chat_line_round_trip() {
        let serving = Serving::start();
        let (alice, bob) = (serving.client(), serving.client());
        alice.login("alice");
        bob.login("bob");
        alice.expect("JOIN bob");
        let text = chinese_text(2000);
        alice.send(format!("C alice {text}").as_bytes());
        let got = bob.line("MSG alice <2000 bytes>");
        let want = format!("MSG alice {text}");
        let ending: String = {
            let last: Vec<char> = got.chars().rev().take(8).collect();
            last.into_iter().rev().collect()
        };
        assert!(
            got.len() >= want.len(),
            "{}",
            say!(
                "bob should get alice's 2,000-byte chat whole; got {} bytes of {}, ending {:?} \
                 (a receive buffer smaller than the datagram cuts it silently: the server's \
                 buffer must hold MAX_DATAGRAM + 1 bytes)",
                "bob 应完整收到 alice 那条 2000 字节的聊天；实际收到 {} 字节（应为 {}），结尾是 {:?}\
                 （比数据报小的接收缓冲区会悄悄截断它：服务器的缓冲区要能放下 MAX_DATAGRAM + 1 字节）",
                got.len(),
                want.len(),
                ending
            )
        );
        assert!(
            got == want,
            "{}",
            say!(
                "bob should get alice's 2,000-byte chat as she sent it; got as many bytes, but \
                 they differ, ending {:?}",
                "bob 应原样收到 alice 那条 2000 字节的聊天；字节数相同，内容却不同，结尾是 {:?}",
                ending
            )
        );
        // Nothing went back to alice: bob's answer is her next datagram.
        bob.send(b"C bob got it");
        alice.expect("MSG bob got it");
        serving.stop().expect("serve returns Ok(()) when stopped");
    }

    #[test]
    fn a_datagram_longer_than_the_limit_is_refused_whole() {
        let serving = Serving::start();
        let (alice, bob) = (serving.client(), serving.client());
        alice.login("alice");
        bob.login("bob");
        alice.expect("JOIN bob");
        for size in [MAX_DATAGRAM + 1, 20_000, 65_507] {
            let mut datagram = b"C alice ".to_vec();
            datagram.resize(size, b'x');
            alice.send(&datagram);
            assert_eq!(
                alice.line("ERR datagram too long"),
                "ERR datagram too long (limit 4096 bytes)",
                "{}",
                say!(
                    "a {size}-byte datagram: the server must see that it is longer than \
                     MAX_DATAGRAM (receive into a buffer of at least MAX_DATAGRAM + 1 bytes)",
                    "{size} 字节的数据报：服务器要看出它比 MAX_DATAGRAM 长（接收缓冲区至少 MAX_DATAGRAM + 1 字节）"
                )
            );
        }
        alice.send(b"C alice after");
        assert_eq!(
            bob.line("MSG alice after"),
            "MSG alice after",
            "{}",
            say!(
                "nothing of the refused datagrams may reach bob",
                "被拒绝的数据报一点也不能转给 bob"
            )
        );
    }

    #[test]
    fn an_empty_datagram_is_a_message() {
        let serving = Serving::start();
        let (alice, bob) = (serving.client(), serving.client());
        alice.login("alice");
        bob.login("bob");
        alice.expect("JOIN bob");
        alice.send(b"");
        assert_eq!(
            alice.line("ERR empty line"),
            "ERR empty line",
            "{}",
            say!(
                "an empty datagram is a message (an empty line), not a client leaving: UDP has \
                 no connection to close",
                "空数据报是一条消息（空行），不是客户端离开：UDP 没有连接可关"
            )
        );
        alice.send(b"C alice still here");
        assert_eq!(
            bob.line("MSG alice still here"),
            "MSG alice still here",
            "{}",
            say!(
                "alice is still logged in after an empty datagram",
                "发了空数据报之后 alice 仍然在线"
            )
        );
        serving.stop().expect("serve returns Ok(()) when stopped");
    }

    #[test]
    fn notices_while_serving() {
        let serving = Serving::start();
        let (alice, bob, eve) = (serving.client(), serving.client(), serving.client());
        alice.login("alice");
        bob.login("bob");
        alice.expect("JOIN bob");
        let server = Arc::clone(&serving.server);
        let sent = within(
            BOUND,
            &say!(
                "notice did not return while serve was running: does serve hold the room's \
                 lock while it waits for a datagram?",
                "serve 运行时 notice 没有返回：serve 是不是在等数据报时一直持有聊天室的锁？"
            ),
            move || server.notice("管理员：10 点维护"),
        );
        assert_eq!(sent, Ok(2), "notice returns how many got it");
        alice.expect("NOTICE 管理员：10 点维护");
        bob.expect("NOTICE 管理员：10 点维护");
        assert_eq!(
            serving.server.notice(""),
            Err(Refusal::Parse(ParseError::MissingText)),
            "notice(\"\")"
        );
        // eve is not logged in: her next datagram is the answer to her own.
        eve.send(b"");
        assert_eq!(
            eve.line("ERR empty line"),
            "ERR empty line",
            "{}",
            say!(
                "a notice reaches only the logged-in",
                "公告只发给已登录的人"
            )
        );
        alice.send(b"C alice after");
        assert_eq!(
            bob.line("MSG alice after"),
            "MSG alice after",
            "{}",
            say!("a refused notice sends nothing", "被拒绝的公告什么也不发")
        );
        serving.stop().expect("serve returns Ok(()) when stopped");
    }

    /// A read timeout is not an error: an idle server wakes up, looks at its stop flag,
    /// and serves on.
    #[test]
    fn an_idle_server_serves_on() {
        let serving = Serving::start();
        assert!(
            serving.idle_through_a_timeout(),
            "{}",
            say!(
                "serve returned after its first read timeout, with nothing to receive: a \
                 timeout (WouldBlock, see is_timeout) is the loop's chance to look at the stop \
                 flag, not an error",
                "没有数据可收时，serve 在第一次读超时后就返回了：超时（WouldBlock，见 is_timeout）\
                 是循环查看停止标志的机会，不是错误"
            )
        );
        let alice = serving.client();
        alice.login("alice");
        serving.stop().expect("serve returns Ok(()) when stopped");
    }

    /// `stop` is seen when the wait for a datagram ends, so that wait is bounded by a
    /// `TICK`: read back from the socket (`getsockopt`), not timed.
    #[test]
    fn serve_waits_at_most_a_tick_for_a_datagram() {
        let serving = Serving::start();
        // An answer from serve's loop: its socket is set up for the loop by now.
        serving.client().login("alice");
        let timeout = read_timeout_of_socket_at(serving.addr).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            timeout.is_some_and(|t| t <= TICK),
            "{}",
            say!(
                "serve's socket waits {timeout:?} for a datagram (None: for ever), but stop must \
                 take effect within TICK ({TICK:?}), and the loop sees the flag only when that \
                 wait ends: set_read_timeout(Some(TICK)) on it",
                "serve 的套接字等一个数据报要等 {timeout:?}（None 表示一直等），而 stop 必须在 TICK\
                 （{TICK:?}）之内生效，循环只有在这次等待结束时才看得到标志：给它设 set_read_timeout(Some(TICK))"
            )
        );
        serving.stop().expect("serve returns Ok(()) when stopped");
    }

    #[test]
    fn stop_sends_exit_to_everyone() {
        let serving = Serving::start();
        let (alice, bob) = (serving.client(), serving.client());
        alice.login("alice");
        bob.login("bob");
        alice.expect("JOIN bob");
        let server = Arc::clone(&serving.server);
        // Stop it while it waits (not between two datagrams), so only its read timeout
        // can let it see the flag.
        serving.idle_through_a_timeout();
        let outcome = serving.stop();
        assert!(
            outcome.is_ok(),
            "{}",
            say!(
                "serve returned {outcome:?} when stopped: a read timeout (WouldBlock) is the \
                 loop's chance to look at the stop flag, not an error",
                "停止时 serve 返回了 {outcome:?}：读超时（WouldBlock）是循环查看停止标志的机会，不是错误"
            )
        );
        alice.expect("EXIT");
        bob.expect("EXIT");
        assert_eq!(
            server.notice("anyone there?"),
            Ok(0),
            "{}",
            say!(
                "after stop, the room is empty: a notice reaches nobody (send what \
                 room.close() returns: it empties the room)",
                "stop 之后聊天室是空的：公告谁也收不到（发出 room.close() 返回的东西：它会清空聊天室）"
            )
        );
    }

    /// `stop` is for good: a `serve` called after it returns at once.
    #[test]
    fn a_stopped_server_stays_stopped() {
        let server = Server::bind(addr(0)).expect("Server::bind(127.0.0.1:0)");
        server.stop();
        let outcome = within(
            BOUND,
            &say!(
                "serve, called after stop, did not return: stop is for good, so serve must not \
                 clear the stop flag as it starts",
                "在 stop 之后调用的 serve 没有返回：stop 是永久的，serve 开始时不能清掉停止标志"
            ),
            move || server.serve(),
        );
        assert!(
            outcome.is_ok(),
            "serve after stop returned {outcome:?}, expected Ok(())"
        );
    }

    #[test]
    fn many_clients_hear_each_other() {
        const CLIENTS: usize = 12;
        let serving = Serving::start();
        let clients: Vec<Client> = (0..CLIENTS).map(|_| serving.client()).collect();
        for (i, client) in clients.iter().enumerate() {
            client.login(&format!("c{i}"));
        }
        for (i, client) in clients.iter().enumerate() {
            client.send(format!("C c{i} hello from {i}").as_bytes());
        }
        for (i, client) in clients.iter().enumerate() {
            for j in i + 1..CLIENTS {
                client.expect(&format!("JOIN c{j}"));
            }
            for j in (0..CLIENTS).filter(|&j| j != i) {
                client.expect(&format!("MSG c{j} hello from {j}"));
            }
        }
        serving.stop().expect("serve returns Ok(()) when stopped");
    }
}

// ---------------------------------------------------------------------------------------
// The client, against a scripted server

mod client {
    use std::collections::HashMap;
    use std::os::fd::{AsRawFd, RawFd};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::{self, RecvTimeoutError};
    use std::thread;
    use std::time::Instant;

    use udp_chat::{ClientError, chat};

    use super::within::{BOUND, within};
    use super::*;

    /// The threads of this process named `name` (/proc/self/task/<tid>/comm). A thread
    /// started without a name gets the name of the thread that started it (Linux copies
    /// it, and std names only the threads it is asked to), so these are the thread a
    /// session's `chat` runs on and every thread `chat` started.
    fn threads_named(name: &str) -> Vec<String> {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return Vec::new();
        };
        tasks
            .flatten()
            .map(|task| task.file_name().to_string_lossy().into_owned())
            .filter(|tid| {
                std::fs::read_to_string(format!("/proc/self/task/{tid}/comm"))
                    .is_ok_and(|comm| comm.trim_end() == name)
            })
            .collect()
    }

    /// Whether thread `tid` is blocked in a system call whose first argument is `fd`
    /// (/proc/self/task/<tid>/syscall: the call's number, then its arguments in hex): a
    /// receive on that socket (recvfrom, recvmsg).
    fn waiting_on(tid: &str, fd: RawFd) -> bool {
        let Ok(call) = std::fs::read_to_string(format!("/proc/self/task/{tid}/syscall")) else {
            return false;
        };
        let mut fields = call.split_whitespace();
        let in_a_call = fields.next().is_some_and(|nr| nr.parse::<u64>().is_ok());
        let first = fields
            .next()
            .and_then(|arg| u64::from_str_radix(arg.trim_start_matches("0x"), 16).ok());
        in_a_call && first == u64::try_from(fd).ok()
    }

    /// `chat` running on a thread of its own, the test playing the server (`fake`) and
    /// the person (typing into `typed`, reading `shown`).
    struct Session {
        fake: UdpSocket,
        client: SocketAddr,
        /// The descriptor of the client's socket.
        fd: RawFd,
        /// The name of the thread `chat` runs on, which the threads it starts inherit.
        thread: String,
        typed: Option<mpsc::Sender<String>>,
        shown: mpsc::Receiver<String>,
        done: Option<threads::Thread<Result<(), ClientError>>>,
    }

    impl Session {
        /// Why chat's thread is gone: its panic with its place, or that it returned.
        fn chat_ended(&self) -> String {
            self.done
                .as_ref()
                .map(|done| done.watch().why_ended())
                .unwrap_or_default()
        }

        fn start(name: &str) -> Session {
            Session::with_read_timeout(name, WAIT)
        }

        /// A session whose socket has the read timeout `timeout`.
        fn with_read_timeout(name: &str, timeout: Duration) -> Session {
            /// Sessions started in this process, for a thread name of each its own.
            static STARTED: AtomicUsize = AtomicUsize::new(0);
            let fake = udp();
            let server = fake.local_addr().unwrap();
            let socket = udp();
            socket.set_read_timeout(Some(timeout)).unwrap();
            let client = socket.local_addr().unwrap();
            let fd = socket.as_raw_fd();
            let (typed, typed_rx) = mpsc::channel();
            let (shown_tx, shown) = mpsc::channel();
            let name = name.to_string();
            // At most 15 bytes: what Linux keeps of a thread's name.
            let thread = format!("udp-chat-{}", STARTED.fetch_add(1, Ordering::Relaxed));
            let done = threads::spawn(&thread, move || {
                chat(&socket, server, &name, typed_rx, shown_tx)
            });
            Session {
                fake,
                client,
                fd,
                thread,
                typed: Some(typed),
                shown,
                done: Some(done),
            }
        }

        /// Waits until every thread of `chat` has been seen asleep in one look at /proc:
        /// the sending side is then waiting for the next typed line, not between two
        /// lines (where it may look whether the session ended before it waits). Gives up
        /// quietly after `WAIT` (a thread that never sleeps spins; the next step judges).
        fn wait_until_idle(&self) {
            let deadline = Instant::now() + WAIT;
            while Instant::now() < deadline {
                let threads = threads_named(&self.thread);
                let asleep = threads
                    .iter()
                    .all(|tid| thread_status(tid).is_some_and(|(state, _)| state == 'S'));
                if !threads.is_empty() && asleep {
                    return;
                }
                thread::yield_now();
            }
        }

        /// Waits until the receiving side has come through a read timeout of its socket:
        /// a thread of `chat` seen blocked on the socket, then seen blocked on it again
        /// after more voluntary context switches (it woke, and since nothing was sent the
        /// wake was the timeout, and it went back to receiving). Counted by the kernel,
        /// never timed. Fails the test, naming `waiting` (what the client waits for) and
        /// what `chat` returned, if `chat` returned first.
        fn receives_through_a_timeout(&mut self, waiting: &str) {
            let fd = self.fd;
            let deadline = Instant::now() + WAIT;
            // Each thread seen blocked on the socket, with its count of switches then.
            let mut seen: HashMap<String, u64> = HashMap::new();
            loop {
                if self.done.as_ref().is_none_or(threads::Thread::is_finished) {
                    let (outcome, _) = self.end("chat did not return");
                    panic!(
                        "{}",
                        say!(
                            "chat returned {outcome:?} while {waiting}, after a read timeout of \
                             its socket (1 ms): a timeout (WouldBlock, see is_timeout) only \
                             means nothing arrived yet; go round and receive again",
                            "chat 在{waiting}时、套接字读超时（1 毫秒）之后返回了 {outcome:?}：超时\
                             （WouldBlock，见 is_timeout）只表示暂时还没收到东西；转一圈再接收"
                        )
                    );
                }
                for tid in threads_named(&self.thread) {
                    if !waiting_on(&tid, fd) {
                        continue;
                    }
                    let Some(('S', switches)) = thread_status(&tid) else {
                        continue;
                    };
                    match seen.get(&tid) {
                        None => {
                            seen.insert(tid, switches);
                        }
                        Some(&before) if switches > before => return,
                        Some(_) => {}
                    }
                }
                assert!(
                    Instant::now() < deadline,
                    "{}",
                    say!(
                        "no thread of chat was seen waiting on its socket, waking and waiting \
                         on it again within {WAIT:?} (its read timeout is 1 ms): does the \
                         receiving side receive on the socket chat was given?",
                        "{WAIT:?} 内没有看到 chat 的哪个线程在它的套接字上等待、醒来、再在上面等待\
                         （读超时是 1 毫秒）：接收的一方是在 chat 拿到的那个套接字上接收的吗？"
                    )
                );
                thread::yield_now();
            }
        }

        /// The next datagram the fake server gets from the client.
        fn sent(&self, what: &str) -> String {
            line_from(&self.fake, self.client, what)
        }

        fn reply(&self, line: &str) {
            self.fake
                .send_to(format!("{line}\n").as_bytes(), self.client)
                .unwrap();
        }

        fn type_line(&self, line: &str) {
            self.typed
                .as_ref()
                .expect("typing")
                .send(line.to_string())
                .unwrap_or_else(|_| {
                    panic!(
                        "{}",
                        say!(
                            "chat has stopped reading typed lines",
                            "chat 已经不再读取输入的行了"
                        )
                    )
                });
        }

        fn shows(&self, line: &str) {
            match self.shown.recv_timeout(WAIT) {
                Ok(got) => assert_eq!(
                    got,
                    line,
                    "{}",
                    say!("the next line shown", "下一行显示的内容")
                ),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "{}",
                    say!(
                        "chat showed nothing within {WAIT:?}; expected {line:?}",
                        "{WAIT:?} 内 chat 什么也没显示；本应显示 {line:?}"
                    )
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "{}",
                    say!(
                        "chat ended before showing {line:?}: {}",
                        "chat 在显示 {line:?} 之前就结束了：{}",
                        self.chat_ended()
                    )
                ),
            }
        }

        /// Waits for `chat` to return; then everything it showed but the test did not read.
        fn end(&mut self, what: &str) -> (Result<(), ClientError>, Vec<String>) {
            let done = self.done.take().expect("running");
            // A panic of chat comes back here with its message and place.
            let outcome = within(BOUND, what, move || done.join());
            (outcome, self.shown.try_iter().collect())
        }
    }

    #[test]
    fn a_refused_login_returns_the_reason() {
        let mut session = Session::start("小明");
        assert_eq!(session.sent("L 小明"), "L 小明");
        session.reply("ERR name taken: 小明");
        let (outcome, shown) = session.end(&say!(
            "chat did not return after its login was refused",
            "登录被拒绝后 chat 没有返回"
        ));
        match outcome {
            Err(ClientError::Refused(reason)) => assert_eq!(reason, "name taken: 小明"),
            other => panic!(
                "{}",
                say!(
                    "a refused login should return Err(ClientError::Refused(reason)), got {other:?}",
                    "登录被拒绝应返回 Err(ClientError::Refused(reason))，实际是 {other:?}"
                )
            ),
        }
        assert!(
            shown.is_empty(),
            "a refused login shows nothing, showed {shown:?}"
        );
    }

    /// Anyone can send to a UDP port: the client believes only the server's address.
    #[test]
    fn a_stranger_cannot_answer_the_login() {
        let mut session = Session::start("小明");
        session.sent("L 小明");
        udp().send_to(b"OK\n", session.client).unwrap();
        session.reply("ERR name taken: 小明");
        let (outcome, _) = session.end(&say!(
            "chat did not return after its login was refused",
            "登录被拒绝后 chat 没有返回"
        ));
        assert!(
            matches!(outcome, Err(ClientError::Refused(_))),
            "{}",
            say!(
                "the server refused the login, but chat took a stranger's OK: got {outcome:?}",
                "服务器拒绝了登录，chat 却听信了陌生人的 OK：实际是 {outcome:?}"
            )
        );
    }

    #[test]
    fn a_session_shows_every_line_from_the_server() {
        let mut session = Session::start("小明");
        assert_eq!(session.sent("L 小明"), "L 小明");
        session.reply("OK");
        session.shows("OK");
        udp()
            .send_to(b"MSG eve I am the server\n", session.client)
            .unwrap();
        session.reply("JOIN bob");
        session.reply("MSG bob hi 小明");
        session.reply("MSG bob  spaced  out  ");
        session.shows("JOIN bob");
        session.shows("MSG bob hi 小明");
        match session.shown.recv_timeout(WAIT) {
            Ok(line) => assert_eq!(
                line,
                "MSG bob  spaced  out  ",
                "{}",
                say!(
                    "a line is shown as the server sent it, without its \\n and nothing more: \
                     spaces are text (trim would eat them)",
                    "一行要照服务端发来的样子显示，只去掉它的 \\n，别的都不动：空格是文字（trim 会把它们吃掉）"
                )
            ),
            Err(e) => panic!("chat showed nothing within {WAIT:?} ({e}); expected a MSG"),
        }
        session.type_line("你好 bob");
        assert_eq!(session.sent("C 小明 你好 bob"), "C 小明 你好 bob");
        session.type_line("");
        session.type_line("  spaced  ");
        assert_eq!(
            session.sent("C 小明   spaced  "),
            "C 小明   spaced  ",
            "{}",
            say!(
                "an empty typed line sends nothing, and a text is sent exactly as typed",
                "输入空行什么也不发，文字照原样发送"
            )
        );
        session.type_line("/quit");
        assert_eq!(session.sent("Q 小明"), "Q 小明");
        session.reply("NOTICE bye");
        session.reply("EXIT");
        let (outcome, shown) = session.end(&say!(
            "chat did not return after the server's EXIT",
            "服务器发来 EXIT 后 chat 没有返回"
        ));
        assert!(outcome.is_ok(), "chat returned {outcome:?}");
        assert_eq!(
            shown,
            ["NOTICE bye", "EXIT"],
            "{}",
            say!(
                "the lines shown at the end, EXIT last (and never a stranger's datagram)",
                "最后显示的几行，EXIT 在最后（陌生人的数据报一条也不显示）"
            )
        );
    }

    /// UDP does not keep order: a line may overtake the login's `OK`. Whatever answers
    /// first, unless it is `ERR`, is shown and starts the session.
    #[test]
    fn a_first_answer_other_than_ok_starts_the_session() {
        let mut session = Session::start("小明");
        session.sent("L 小明");
        session.reply("JOIN bob");
        session.reply("OK");
        session.shows("JOIN bob");
        session.shows("OK");
        session.type_line("hi");
        assert_eq!(
            session.sent("C 小明 hi"),
            "C 小明 hi",
            "{}",
            say!(
                "the session started with the first answer",
                "会话从第一个回答起就开始了"
            )
        );
        session.type_line("/quit");
        session.sent("Q 小明");
        session.reply("EXIT");
        let (outcome, shown) = session.end(&say!(
            "chat did not return after the server's EXIT",
            "服务器发来 EXIT 后 chat 没有返回"
        ));
        assert!(outcome.is_ok(), "chat returned {outcome:?}");
        assert_eq!(shown, ["EXIT"]);
    }

    #[test]
    fn the_server_can_end_the_session() {
        let mut session = Session::start("bob");
        session.sent("L bob");
        session.reply("OK");
        session.shows("OK");
        // One line typed and sent: the sending side is past its first look at whether
        // the session ended. Once it waits for the next line, EXIT comes.
        session.type_line("hello");
        assert_eq!(session.sent("C bob hello"), "C bob hello");
        session.wait_until_idle();
        session.reply("EXIT");
        // The person types nothing more and keeps the input open.
        let (outcome, shown) = session.end(&say!(
            "chat did not return after the server's EXIT while the input stayed open: does \
             the sending side wait for a typed line with a timeout (recv_timeout(TICK)) and \
             look, each time, whether the session ended? A plain recv() waits for ever",
            "输入一直开着时服务器发来 EXIT，chat 却没有返回：发送的一方是不是带超时地等输入\
             （recv_timeout(TICK)），每次都看一眼会话是否结束？不带超时的 recv() 会一直等下去"
        ));
        assert!(outcome.is_ok(), "chat returned {outcome:?}");
        assert_eq!(shown, ["EXIT"]);
    }

    /// A read timeout on the client's socket (set by whoever made it, here 1 ms) only
    /// makes the receiving side wait again: while it waits for the login's answer, and
    /// while it waits for lines in the session.
    #[test]
    fn a_read_timeout_does_not_end_the_session() {
        let mut session = Session::with_read_timeout("bob", Duration::from_millis(1));
        session.sent("L bob");
        session
            .receives_through_a_timeout(&say!("waiting for the login's answer", "等待登录的回答"));
        session.reply("OK");
        session.shows("OK");
        session.receives_through_a_timeout(&say!(
            "waiting for lines from the server",
            "等待服务端发来的行"
        ));
        session.reply("MSG alice hi");
        session.shows("MSG alice hi");
        session.type_line("/quit");
        session.sent("Q bob");
        session.reply("EXIT");
        let (outcome, shown) = session.end(&say!(
            "chat did not return after the server's EXIT",
            "服务器发来 EXIT 后 chat 没有返回"
        ));
        assert!(
            outcome.is_ok(),
            "{}",
            say!(
                "chat returned {outcome:?}: a read timeout of its socket is not an error",
                "chat 返回了 {outcome:?}：套接字的读超时不是错误"
            )
        );
        assert_eq!(shown, ["EXIT"]);
    }

    #[test]
    fn the_end_of_input_quits() {
        let mut session = Session::start("bob");
        session.sent("L bob");
        session.reply("OK");
        session.shows("OK");
        session.typed = None; // the person closes the input (Ctrl-D)
        assert_eq!(
            session.sent("Q bob"),
            "Q bob",
            "{}",
            say!("the end of input sends Q", "输入结束时发送 Q")
        );
        session.reply("EXIT");
        let (outcome, shown) = session.end(&say!(
            "chat did not return after the server's EXIT",
            "服务器发来 EXIT 后 chat 没有返回"
        ));
        assert!(outcome.is_ok(), "chat returned {outcome:?}");
        assert_eq!(shown, ["EXIT"]);
    }
}

// ---------------------------------------------------------------------------------------
// Reliability: stop-and-wait on a virtual clock (the last step)

mod reliability {
    use proptest::prelude::*;
    use udp_chat::{Ack, Data, Received, Receiver, Sender, Tick};

    fn data(seq: u64, payload: &str) -> Data {
        Data {
            seq,
            payload: payload.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_message_goes_out_at_once_and_again_at_its_deadline() {
        let mut sender = Sender::new(10);
        sender.send(b"a".to_vec());
        assert_eq!(
            sender.poll_transmit(0),
            Some(data(0, "a")),
            "the first message goes out at once, as seq 0"
        );
        assert_eq!(
            sender.poll_transmit(0),
            None,
            "one message in flight at a time: nothing more at 0"
        );
        assert_eq!(sender.poll_timeout(), Some(10), "its deadline is now + rto");
        assert_eq!(
            sender.poll_transmit(9),
            None,
            "no retransmission before the deadline"
        );
        assert_eq!(sender.retransmissions(), 0);
        assert_eq!(
            sender.poll_transmit(10),
            Some(data(0, "a")),
            "at the deadline, the same segment again"
        );
        assert_eq!(sender.retransmissions(), 1);
        assert_eq!(
            sender.poll_timeout(),
            Some(20),
            "the new deadline is now + rto"
        );
        assert_eq!(sender.poll_transmit(10), None);
        assert!(!sender.is_idle());
    }

    /// A caller may poll late (it had other work): at 30, with a deadline of 10, the
    /// segment goes once, and the next deadline is counted from now.
    #[test]
    fn a_late_poll_sends_once_and_counts_the_next_deadline_from_then() {
        let mut sender = Sender::new(10);
        sender.send(b"a".to_vec());
        assert_eq!(sender.poll_transmit(0), Some(data(0, "a")));
        assert_eq!(
            sender.poll_transmit(30),
            Some(data(0, "a")),
            "at 30, long past the deadline 10: the same segment again"
        );
        assert_eq!(
            sender.poll_transmit(30),
            None,
            "{}",
            say!(
                "sent once at 30: the next deadline is now + rto = 40, counted from now, not \
                 from the old deadline (10 + rto = 20 is past already)",
                "在 30 只发一次：下一个截止时刻是 now + rto = 40，从现在算起，而不是从旧的截止时刻\
                 算起（10 + rto = 20 已经过去了）"
            )
        );
        assert_eq!(
            sender.poll_timeout(),
            Some(40),
            "the new deadline is now + rto"
        );
        assert_eq!(sender.retransmissions(), 1);
    }

    #[test]
    fn a_timeout_of_zero_is_taken_as_one() {
        let mut sender = Sender::new(0);
        sender.send(b"a".to_vec());
        assert_eq!(sender.poll_transmit(5), Some(data(0, "a")));
        assert_eq!(
            sender.poll_transmit(5),
            None,
            "{}",
            say!(
                "Sender::new(0) retransmits after 1 tick (0 is taken as 1): nothing more at the \
                 tick it was sent, or a caller that polls until None never stops",
                "Sender::new(0) 在 1 个时刻后重发（0 按 1 算）：发出的那一刻不再发，否则一直调用到 \
                 None 的调用者永远停不下来"
            )
        );
        assert_eq!(sender.poll_timeout(), Some(6), "the deadline: 5 + 1");
        assert_eq!(sender.poll_transmit(6), Some(data(0, "a")));
        assert_eq!(sender.retransmissions(), 1);
    }

    #[test]
    fn an_ack_lets_the_next_message_go() {
        let mut sender = Sender::new(10);
        sender.send(b"a".to_vec());
        sender.send(b"b".to_vec());
        assert_eq!(sender.poll_transmit(0), Some(data(0, "a")));
        assert_eq!(sender.poll_transmit(3), None, "b waits for a's ack");
        sender.handle_ack(Ack { seq: 0 });
        assert_eq!(
            sender.poll_transmit(5),
            Some(data(1, "b")),
            "after a's ack, b goes at once (its own timer starts now, whatever a's was)"
        );
        assert_eq!(sender.poll_timeout(), Some(15), "b's deadline: 5 + rto");
        assert_eq!(
            sender.poll_transmit(10),
            None,
            "no retransmission of b at a's old deadline"
        );
        sender.handle_ack(Ack { seq: 1 });
        assert!(sender.is_idle(), "every message acknowledged");
        assert_eq!(
            sender.poll_timeout(),
            None,
            "no timer while nothing is in flight"
        );
        assert_eq!(sender.retransmissions(), 0);
    }

    #[test]
    fn an_old_ack_changes_nothing() {
        let mut sender = Sender::new(10);
        sender.send(b"a".to_vec());
        sender.send(b"b".to_vec());
        sender.poll_transmit(0);
        sender.handle_ack(Ack { seq: 7 });
        assert_eq!(
            sender.poll_timeout(),
            Some(10),
            "an ack of another seq leaves a in flight"
        );
        sender.handle_ack(Ack { seq: 0 });
        assert_eq!(sender.poll_transmit(2), Some(data(1, "b")));
        sender.handle_ack(Ack { seq: 0 }); // a late copy of a's ack
        assert_eq!(
            sender.poll_timeout(),
            Some(12),
            "a late ack of a leaves b in flight"
        );
        assert_eq!(
            sender.poll_transmit(12),
            Some(data(1, "b")),
            "and b is retransmitted at its deadline"
        );
    }

    #[test]
    fn an_idle_sender_sends_nothing() {
        let mut sender = Sender::new(5);
        assert!(sender.is_idle());
        assert_eq!(sender.poll_transmit(0), None);
        assert_eq!(sender.poll_timeout(), None);
    }

    #[test]
    fn the_receiver_delivers_each_message_once() {
        let mut receiver = Receiver::new();
        let got = |r: Received| (r.ack, r.delivered.map(|p| String::from_utf8(p).unwrap()));
        assert_eq!(
            got(receiver.handle_data(data(0, "a"))),
            (Some(Ack { seq: 0 }), Some("a".into()))
        );
        assert_eq!(
            got(receiver.handle_data(data(0, "a"))),
            (Some(Ack { seq: 0 }), None),
            "a copy of a delivered message is acknowledged again (the first ack may be lost) but not delivered again"
        );
        assert_eq!(
            got(receiver.handle_data(data(1, "b"))),
            (Some(Ack { seq: 1 }), Some("b".into()))
        );
        assert_eq!(
            got(receiver.handle_data(data(3, "d"))),
            (None, None),
            "a message from the future is neither delivered nor acknowledged"
        );
        assert_eq!(
            got(receiver.handle_data(data(0, "a"))),
            (Some(Ack { seq: 0 }), None)
        );
        assert_eq!(receiver.delivered(), 2);
    }

    /// The classic case: the data arrives, its ack is lost, the sender retransmits.
    #[test]
    fn a_lost_ack_is_answered_by_the_retransmission() {
        let mut sender = Sender::new(10);
        let mut receiver = Receiver::new();
        sender.send(b"hello".to_vec());
        sender.send(b"world".to_vec());
        let first = sender.poll_transmit(0).expect("hello goes out");
        let r = receiver.handle_data(first);
        assert_eq!(r.delivered.as_deref(), Some(&b"hello"[..]));
        // r.ack is lost on the way back.
        let again = sender
            .poll_transmit(10)
            .expect("hello again at its deadline");
        let r = receiver.handle_data(again);
        assert_eq!(
            r.delivered, None,
            "the retransmitted copy must not be delivered a second time"
        );
        sender.handle_ack(r.ack.expect("the copy is acknowledged"));
        let next = sender.poll_transmit(11).expect("world goes out");
        assert_eq!(
            receiver.handle_data(next).delivered.as_deref(),
            Some(&b"world"[..])
        );
        assert_eq!(sender.retransmissions(), 1);
    }

    // -----------------------------------------------------------------------------------
    // The simulated channel

    /// A segment on the wire.
    #[derive(Debug, Clone)]
    enum Segment {
        Data(Data),
        Ack(Ack),
    }

    /// A lossy channel on a virtual clock, both directions: each segment is dropped with
    /// probability `drop_pct`%, else arrives 1 to `max_delay` ticks later (so segments
    /// overtake each other), and is then duplicated with probability `dup_pct`% (the copy
    /// with its own delay). Seeded: the same seed, the same run.
    struct Channel {
        rng: u64,
        drop_pct: u64,
        dup_pct: u64,
        max_delay: Tick,
        /// (arrival, tie-break, segment).
        in_transit: Vec<(Tick, u64, Segment)>,
        drops: u64,
    }

    impl Channel {
        /// splitmix64: a tiny, good generator, so the suite needs no other crate.
        fn random(&mut self) -> u64 {
            self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.rng;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn transmit(&mut self, now: Tick, segment: Segment) {
            if self.random() % 100 < self.drop_pct {
                self.drops += 1;
                return;
            }
            let copies = if self.random() % 100 < self.dup_pct {
                2
            } else {
                1
            };
            for _ in 0..copies {
                let arrival = now + 1 + self.random() % self.max_delay;
                let tie = self.random();
                self.in_transit.push((arrival, tie, segment.clone()));
            }
        }

        fn next_arrival(&self) -> Option<Tick> {
            self.in_transit.iter().map(|s| s.0).min()
        }

        /// The next segment due at `now` (ties in random order).
        fn take_due(&mut self, now: Tick) -> Option<Segment> {
            let (i, _) = self
                .in_transit
                .iter()
                .enumerate()
                .filter(|(_, s)| s.0 <= now)
                .min_by_key(|(_, s)| (s.0, s.1))?;
            Some(self.in_transit.swap_remove(i).2)
        }
    }

    struct Run {
        delivered: Vec<Vec<u8>>,
        data_sent: u64,
        retransmissions: u64,
        drops: u64,
    }

    /// Sends `messages` through the channel with stop-and-wait; `Err` says how the run
    /// went wrong. The retransmission timeout is longer than any round trip, so only a
    /// loss can make the sender retransmit.
    fn simulate(
        messages: &[Vec<u8>],
        seed: u64,
        drop_pct: u64,
        dup_pct: u64,
        max_delay: Tick,
    ) -> Result<Run, String> {
        const STEPS: usize = 100_000;
        let rto = 2 * max_delay + 1;
        let mut channel = Channel {
            rng: seed,
            drop_pct,
            dup_pct,
            max_delay,
            in_transit: Vec::new(),
            drops: 0,
        };
        let mut sender = Sender::new(rto);
        for m in messages {
            sender.send(m.clone());
        }
        let mut receiver = Receiver::new();
        let mut delivered = Vec::new();
        let mut data_sent = 0;
        let mut now: Tick = 0;
        for _ in 0..STEPS {
            while let Some(segment) = channel.take_due(now) {
                match segment {
                    Segment::Data(data) => {
                        let r = receiver.handle_data(data);
                        delivered.extend(r.delivered);
                        if let Some(ack) = r.ack {
                            channel.transmit(now, Segment::Ack(ack));
                        }
                    }
                    Segment::Ack(ack) => sender.handle_ack(ack),
                }
            }
            if let Some(data) = sender.poll_transmit(now) {
                data_sent += 1;
                channel.transmit(now, Segment::Data(data));
                if sender.poll_transmit(now).is_some() {
                    return Err(say!(
                        "poll_transmit({now}) gave a second segment in the same tick: stop-and-wait \
                         has one message in flight, sent again only at its deadline",
                        "同一时刻 poll_transmit({now}) 又给出第二个分段：停等协议只有一个消息在途，只在超时时重发"
                    ));
                }
            }
            if sender.is_idle() && channel.in_transit.is_empty() {
                return Ok(Run {
                    delivered,
                    data_sent,
                    retransmissions: sender.retransmissions(),
                    drops: channel.drops,
                });
            }
            match [channel.next_arrival(), sender.poll_timeout()]
                .into_iter()
                .flatten()
                .min()
            {
                None => {
                    return Err(say!(
                        "stalled at tick {now}: messages are not all acknowledged, nothing is in \
                         transit, and poll_timeout() is None (a message in flight needs a timer)",
                        "在时刻 {now} 停住了：消息没有全部被确认，线路上什么也没有，poll_timeout() 却是 None（在途的消息要有定时器）"
                    ));
                }
                Some(t) if t <= now => {
                    return Err(say!(
                        "poll_timeout() is {t}, yet poll_transmit({now}) sent nothing",
                        "poll_timeout() 是 {t}，poll_transmit({now}) 却什么也没发"
                    ));
                }
                Some(t) => now = t,
            }
        }
        Err(say!(
            "not done after {STEPS} steps (tick {now}): {} of {} messages delivered",
            "{STEPS} 步之后仍未完成（时刻 {now}）：{} 条消息中送达了 {} 条",
            delivered.len(),
            messages.len()
        ))
    }

    fn messages(count: usize) -> Vec<Vec<u8>> {
        (0..count)
            .map(|i| format!("message {i}").into_bytes())
            .collect()
    }

    /// Reorders and duplicates but no loss: not a single retransmission is due.
    #[test]
    fn no_loss_no_retransmission() {
        for seed in 0..20 {
            let sent = messages(30);
            let run =
                simulate(&sent, seed, 0, 30, 5).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            assert!(
                run.delivered == sent,
                "seed {seed}: every message once, in order"
            );
            assert_eq!(
                run.retransmissions, 0,
                "seed {seed}: a channel that loses nothing (every ack comes back before the \
                 deadline) needs no retransmission: is the timer stopped by an ack, and started \
                 afresh for the next message?"
            );
            assert_eq!(
                run.data_sent, 30,
                "seed {seed}: data segments put on the wire"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Drops, duplicates and reorders: every message is delivered exactly once, in
        /// order, and every retransmission answers a loss (retransmissions ≤ segments
        /// dropped, counted by the channel).
        #[test]
        fn exactly_once_in_order_with_a_counted_bound_on_retransmissions(
            seed in any::<u64>(),
            count in 1usize..30,
            drop_pct in 0u64..=40,
            dup_pct in 0u64..=30,
            max_delay in 1u64..=6,
        ) {
            let sent = messages(count);
            let run = simulate(&sent, seed, drop_pct, dup_pct, max_delay);
            let run = match run {
                Ok(run) => run,
                Err(e) => return Err(TestCaseError::fail(e)),
            };
            prop_assert!(
                run.delivered == sent,
                "{}",
                say!(
                    "delivered {} messages, expected {} once each, in order: {:?}",
                    "送达了 {} 条消息，应为 {} 条，每条一次，按顺序：{:?}",
                    run.delivered.len(),
                    sent.len(),
                    run.delivered.iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect::<Vec<_>>()
                )
            );
            prop_assert_eq!(
                run.data_sent,
                count as u64 + run.retransmissions,
                "{}",
                say!(
                    "data segments on the wire = messages + retransmissions(): every copy sent again is counted",
                    "线路上的数据分段 = 消息数 + retransmissions()：每次重发都要计数"
                )
            );
            prop_assert!(
                run.retransmissions <= run.drops,
                "{}",
                say!(
                    "{} retransmissions for {} segments lost: with a timeout longer than any \
                     round trip, only a loss justifies sending again",
                    "重发了 {} 次，却只丢了 {} 个分段：超时比任何往返都长时，只有丢失才值得重发",
                    run.retransmissions,
                    run.drops
                )
            );
        }
    }
}
