//! Who is at the other end of a connection: the uid of the process that
//! holds the client's socket, asked of the kernel.

use std::net::{IpAddr, SocketAddr};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;

/// A unix socket's peer, from its credentials (SO_PEERCRED).
pub fn unix_uid(s: &UnixStream) -> Option<u32> {
    nix::sys::socket::getsockopt(s, nix::sys::socket::sockopt::PeerCredentials)
        .ok()
        .map(|c| c.uid())
}

/// The uid owning the TCP socket from `client` to `server` (both on this
/// machine): the kernel's answer for that one socket (sock_diag, as `ss`
/// asks), or where that is not to be had, its table in /proc/net/tcp.
pub fn tcp_owner(client: SocketAddr, server: SocketAddr) -> Option<u32> {
    diag_owner(client, server).or_else(|| proc_owner(client, server))
}

/// netlink's SOCK_DIAG_BY_FAMILY, and the answer's header size.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
const NLMSG_HDRLEN: usize = 16;

/// One inet_diag_req_v2 for exactly the socket `client` → `server`: the
/// kernel looks that socket up by its addresses, in constant time however
/// many sockets (TIME_WAIT ones above all) the machine holds, where
/// reading /proc/net/tcp costs a line for each.
fn diag_owner(client: SocketAddr, server: SocketAddr) -> Option<u32> {
    use nix::sys::socket::{
        AddressFamily, MsgFlags, NetlinkAddr, SockFlag, SockProtocol, SockType, recv, sendto,
        setsockopt, socket, sockopt,
    };
    let fd = socket(
        AddressFamily::Netlink,
        SockType::Datagram,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::NetlinkSockDiag,
    )
    .ok()?;
    setsockopt(
        &fd,
        sockopt::ReceiveTimeout,
        &nix::sys::time::TimeVal::new(1, 0),
    )
    .ok()?;
    let request = diag_request(client, server);
    sendto(
        fd.as_raw_fd(),
        &request,
        &NetlinkAddr::new(0, 0),
        MsgFlags::empty(),
    )
    .ok()?;
    let mut answer = [0u8; 1024];
    let n = recv(fd.as_raw_fd(), &mut answer, MsgFlags::empty()).ok()?;
    diag_uid(&answer[..n], client, server)
}

fn diag_request(client: SocketAddr, server: SocketAddr) -> Vec<u8> {
    let family = match client {
        SocketAddr::V4(_) => nix::libc::AF_INET,
        SocketAddr::V6(_) => nix::libc::AF_INET6,
    } as u8;
    let mut m = Vec::with_capacity(72);
    m.extend_from_slice(&72u32.to_ne_bytes()); // nlmsg_len
    m.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
    m.extend_from_slice(&(nix::libc::NLM_F_REQUEST as u16).to_ne_bytes());
    m.extend_from_slice(&1u32.to_ne_bytes()); // seq
    m.extend_from_slice(&0u32.to_ne_bytes()); // pid: the kernel
    m.extend_from_slice(&[family, nix::libc::IPPROTO_TCP as u8, 0, 0]);
    m.extend_from_slice(&u32::MAX.to_ne_bytes()); // any state
    m.extend_from_slice(&sockid(client, server));
    m.extend_from_slice(&0u32.to_ne_bytes()); // any interface
    m.extend_from_slice(&[0xff; 8]); // INET_DIAG_NOCOOKIE
    m
}

/// inet_diag_sockid's ports and addresses, in network order.
fn sockid(client: SocketAddr, server: SocketAddr) -> Vec<u8> {
    let addr = |ip: IpAddr| -> [u8; 16] {
        let mut out = [0u8; 16];
        match ip {
            IpAddr::V4(ip) => out[..4].copy_from_slice(&ip.octets()),
            IpAddr::V6(ip) => out.copy_from_slice(&ip.octets()),
        }
        out
    };
    let mut id = Vec::with_capacity(36);
    id.extend_from_slice(&client.port().to_be_bytes());
    id.extend_from_slice(&server.port().to_be_bytes());
    id.extend_from_slice(&addr(client.ip()));
    id.extend_from_slice(&addr(server.ip()));
    id
}

/// The uid in an inet_diag_msg answering for exactly that socket (an error
/// answer, or one for another socket, is none).
fn diag_uid(answer: &[u8], client: SocketAddr, server: SocketAddr) -> Option<u32> {
    let kind = u16::from_ne_bytes(answer.get(4..6)?.try_into().ok()?);
    if kind != SOCK_DIAG_BY_FAMILY {
        return None;
    }
    let msg = answer.get(NLMSG_HDRLEN..)?;
    // family, state, timer, retrans; then the socket's id.
    if msg.get(4..40)? != sockid(client, server).as_slice() {
        return None;
    }
    // After the id (48 bytes): expires, rqueue, wqueue, uid.
    Some(u32::from_ne_bytes(msg.get(64..68)?.try_into().ok()?))
}

/// The owner of the socket from `client` to `server` in the kernel's
/// table of TCP sockets.
fn proc_owner(client: SocketAddr, server: SocketAddr) -> Option<u32> {
    let table = if client.is_ipv4() {
        "/proc/net/tcp"
    } else {
        "/proc/net/tcp6"
    };
    let text = std::fs::read_to_string(table).ok()?;
    let (want_local, want_remote) = (proc_addr(client), proc_addr(server));
    text.lines().skip(1).find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        (fields.get(1) == Some(&want_local.as_str())
            && fields.get(2) == Some(&want_remote.as_str()))
        .then(|| fields.get(7)?.parse().ok())
        .flatten()
    })
}

/// An address as /proc/net/tcp writes it: each 32-bit word of the address
/// in host byte order, in hex, then the port.
fn proc_addr(addr: SocketAddr) -> String {
    let words: Vec<u32> = match addr.ip() {
        IpAddr::V4(ip) => vec![u32::from_ne_bytes(ip.octets())],
        IpAddr::V6(ip) => ip
            .octets()
            .chunks(4)
            .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    };
    let hex: String = words.iter().map(|w| format!("{w:08X}")).collect();
    format!("{hex}:{:04X}", addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn addresses_are_written_as_the_kernel_writes_them() {
        let v4: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(proc_addr(v4), "0100007F:1F90");
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        assert_eq!(proc_addr(v6), "00000000000000000000000001000000:0050");
    }

    #[test]
    fn a_connection_from_this_process_is_owned_by_this_user_both_ways() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = listener.local_addr().unwrap();
        let client = TcpStream::connect(server).unwrap();
        let (_accepted, remote) = listener.accept().unwrap();
        assert_eq!(remote, client.local_addr().unwrap());
        let me = Some(nix::unistd::getuid().as_raw());
        assert_eq!(proc_owner(remote, server), me);
        assert_eq!(diag_owner(remote, server), me);
        assert_eq!(tcp_owner(remote, server), me);
        // The server's own end is not the client's socket.
        let wrong: SocketAddr = format!("127.0.0.1:{}", remote.port().wrapping_add(1))
            .parse()
            .unwrap();
        assert_eq!(tcp_owner(wrong, server), None);
    }

    #[test]
    fn a_diag_answer_for_another_socket_or_an_error_is_none() {
        let (c, s): (SocketAddr, SocketAddr) = (
            "127.0.0.1:5000".parse().unwrap(),
            "127.0.0.1:80".parse().unwrap(),
        );
        let mut answer = vec![0u8; NLMSG_HDRLEN + 72];
        answer[4..6].copy_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes());
        answer[NLMSG_HDRLEN + 4..NLMSG_HDRLEN + 40].copy_from_slice(&sockid(c, s));
        answer[NLMSG_HDRLEN + 64..NLMSG_HDRLEN + 68].copy_from_slice(&1000u32.to_ne_bytes());
        assert_eq!(diag_uid(&answer, c, s), Some(1000));
        assert_eq!(diag_uid(&answer, s, c), None);
        let mut error = answer.clone();
        error[4..6].copy_from_slice(&2u16.to_ne_bytes());
        assert_eq!(diag_uid(&error, c, s), None);
        assert_eq!(diag_uid(&answer[..30], c, s), None);
    }
}
