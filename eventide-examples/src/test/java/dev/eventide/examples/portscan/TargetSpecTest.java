package dev.eventide.examples.portscan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetSpecTest {
    @Test
    void namesAndAddressesOfBothFamilies() throws Exception {
        assertThat(TargetSpec.parse("example.com")).isEqualTo(new TargetSpec.Name("example.com"));
        assertThat(TargetSpec.parse("localhost")).isInstanceOf(TargetSpec.Name.class);
        assertThat(((TargetSpec.Address) TargetSpec.parse("127.0.0.1")).address())
                .isEqualTo(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        assertThat(((TargetSpec.Address) TargetSpec.parse("::1")).address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(((TargetSpec.Address) TargetSpec.parse("[fe80::1]")).address().getAddress()).hasSize(16);
    }

    @Test
    void ipv4RangesMaskHostBitsAndListEveryAddress() {
        var r = (TargetSpec.Range) TargetSpec.parse("192.0.2.77/30");
        assertThat(r.network().getHostAddress()).isEqualTo("192.0.2.76");
        assertThat(r.hostCount()).isEqualTo(BigInteger.valueOf(4));
        assertThat(r.addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("192.0.2.76", "192.0.2.77", "192.0.2.78", "192.0.2.79");
        assertThat(TargetSpec.parse("10.0.0.0/8").hostCount()).isEqualTo(BigInteger.valueOf(1 << 24));
        assertThat(((TargetSpec.Range) TargetSpec.parse("127.0.0.1/32")).addresses()).hasSize(1);
    }

    @Test
    void ipv6RangesToo() {
        var r = (TargetSpec.Range) TargetSpec.parse("2001:db8::ff/126");
        assertThat(r.addresses()).extracting(InetAddress::getHostAddress)
                .containsExactly("2001:db8:0:0:0:0:0:fc", "2001:db8:0:0:0:0:0:fd", "2001:db8:0:0:0:0:0:fe",
                        "2001:db8:0:0:0:0:0:ff");
        assertThat(TargetSpec.parse("fd00::/64").hostCount()).isEqualTo(BigInteger.ONE.shiftLeft(64));
    }

    @Test
    void ipv6AddressesPrintInShortForm() {
        assertThat(new Target(null, ((TargetSpec.Address) TargetSpec.parse("::1")).address()).ip()).isEqualTo("::1");
        assertThat(Target.compress("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Target.compress("fe80:0:0:0:0:0:0:0")).isEqualTo("fe80::");
        assertThat(Target.compress("2001:db8:1:0:1:1:1:1")).isEqualTo("2001:db8:1:0:1:1:1:1");
        assertThat(new Target(null, TargetSpec.Addresses.parseLiteral("192.0.2.1")).ip()).isEqualTo("192.0.2.1");
    }

    @Test
    void malformedTargetsNameTheProblem() {
        assertThatThrownBy(() -> TargetSpec.parse("300.1.1.1")).hasMessageContaining("'300.1.1.1' is not a valid IPv4 address");
        assertThatThrownBy(() -> TargetSpec.parse("1.2.3")).hasMessageContaining("needs four numbers");
        assertThatThrownBy(() -> TargetSpec.parse("1::2::3")).hasMessageContaining("not a valid IPv6 address");
        assertThatThrownBy(() -> TargetSpec.parse("10.0.0.0/33")).hasMessageContaining("prefix /33 is longer than the 32 bits");
        assertThatThrownBy(() -> TargetSpec.parse("::/129")).hasMessageContaining("prefix /129");
        assertThatThrownBy(() -> TargetSpec.parse("10.0.0.0/x")).hasMessageContaining("no valid prefix length");
        assertThatThrownBy(() -> TargetSpec.parse("host/24")).hasMessageContaining("does not start with an IP address");
        assertThatThrownBy(() -> TargetSpec.parse("bad_host!")).hasMessageContaining("is not a host name");
    }

    @Test
    void hostCapRefusesLargeRangesUnlessRaised() {
        List<TargetSpec> big = List.of(TargetSpec.parse("10.0.0.0/8"));
        assertThatThrownBy(() -> TargetResolver.checkSize(big, 65_536))
                .hasMessageContaining("10.0.0.0/8 has 16777216 hosts, more than --max-hosts 65536");
        TargetResolver.checkSize(big, 1 << 24);
        List<TargetSpec> two = List.of(TargetSpec.parse("10.0.0.0/16"), TargetSpec.parse("10.1.0.1"));
        assertThatThrownBy(() -> TargetResolver.checkSize(two, 65_536)).hasMessageContaining("add up to 65537")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
