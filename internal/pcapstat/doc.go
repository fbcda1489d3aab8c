// Package pcapstat reads a packet capture (the classic pcap format that
// mkos run --pcap writes and tcpdump reads) and measures each TCP flow:
// data bytes, retransmitted segments, duplicate acknowledgements,
// goodput, and the bytes in flight over virtual time — the sender's
// congestion window as the wire sees it. The TCP-under-loss lab reads
// it through the pcapstat program (user/netcmd) and mkos pcapstat.
//
// Files: pcap.go (the file format: header, records, Ethernet and IPv4
// framing), flow.go (the per-flow measures), report.go (the text
// output).
//
// Imports: the standard library only.
package pcapstat
