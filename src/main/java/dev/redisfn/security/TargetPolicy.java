package dev.redisfn.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.redisfn.config.ConnectorSettings;
import dev.redisfn.config.HostAndPort;
import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

/**
 * Where an event may send the connector (and its password): allow and deny lists of hosts,
 * {@code *.suffix} patterns and CIDRs. Addresses are normalized first — IPv4-mapped IPv6,
 * decimal, octal and hex IPv4 forms — and a host name is resolved once, every address checked,
 * and the checked address is what the connector connects to (no DNS rebinding in between). An
 * address is denied when a deny rule matches it as given or any IPv4 address it carries, and
 * allowed when an allow rule matches it as given or its normal form. The same check applies to
 * addresses Redis hands back (sentinel masters, cluster topology).
 */
@Singleton
public class TargetPolicy {

    private final List<Rule> deny;
    private final Optional<List<Rule>> allow;

    @Inject
    public TargetPolicy(ConnectorSettings settings) {
        this(settings.targets().deny(), settings.targets().allow());
    }

    TargetPolicy(List<String> deny, Optional<List<String>> allow) {
        this.deny = Rule.parseAll(deny);
        this.allow = allow.map(Rule::parseAll);
    }

    /**
     * Checks one address and returns the one to connect to: the checked IP for a host name, unless
     * {@code keepName} (TLS verifies the certificate against the name). Resolving may block: call it off the event loop.
     */
    public HostAndPort admit(HostAndPort node, boolean keepName) {
        String host = node.host();
        InetAddress literal = Addresses.literal(host);
        if (literal != null) {
            check(host, literal);
            return new HostAndPort(Addresses.connectable(literal).getHostAddress(), node.port());
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (matchesAny(deny, name, null)) {
            throw refused(host);
        }
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ConnectorException(ErrorCode.CONNECTION_FAILED, host + ": unknown host",
                    "host: the name does not resolve");
        }
        boolean allowedByName = allow.isPresent() && matchesAny(allow.get(), name, null);
        for (InetAddress address : resolved) {
            if (denied(address) || !(allowedByName || allowed(address))) {
                throw refused(host);
            }
        }
        return keepName ? node : new HostAndPort(Addresses.connectable(resolved[0]).getHostAddress(), node.port());
    }

    /** A literal: refused when denied in any form, or when outside the allow list. */
    private void check(String shown, InetAddress literal) {
        if (denied(literal) || !allowed(literal)) {
            throw refused(shown);
        }
    }

    /**
     * Whether an allow rule matches the address as given (a NAT64 prefix, say) or, failing that, every
     * IPv4 address it may reach ({@link Addresses#forms}: a local-use NAT64 address reads as several,
     * one per prefix layout, and the translator picks the one it was set up for); true without an
     * allow list. Deny is checked first and still wins.
     */
    private boolean allowed(InetAddress address) {
        if (allow.isEmpty() || matchesAny(allow.get(), null, address)) {
            return true;
        }
        List<InetAddress> forms = Addresses.forms(address);
        if (forms.size() == 1) {
            return false;
        }
        for (InetAddress reached : forms.subList(1, forms.size())) {
            if (!matchesAny(allow.get(), null, reached)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a deny rule matches the address or any address it may reach (see {@link Addresses#forms}). */
    private boolean denied(InetAddress address) {
        for (InetAddress form : Addresses.forms(address)) {
            if (matchesAny(deny, null, form)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<Rule> rules, String name, InetAddress address) {
        for (Rule rule : rules) {
            if (name != null ? rule.matchesName(name) : rule.matchesAddress(address)) {
                return true;
            }
        }
        return false;
    }

    private static ConnectorException refused(String host) {
        return new ConnectorException(ErrorCode.TARGET_NOT_ALLOWED,
                "connection to " + host + " is not allowed by this function's target policy",
                "host: ask the operator to allow it (connector.targets.allow)");
    }

    /** One allow/deny entry: a CIDR, an address, a host name or a {@code *.suffix} pattern. */
    record Rule(String name, byte[] network, int prefix) {

        static List<Rule> parseAll(List<String> entries) {
            List<Rule> rules = new ArrayList<>();
            for (String entry : entries) {
                if (!entry.isBlank()) {
                    rules.add(parse(entry.trim()));
                }
            }
            return rules;
        }

        static Rule parse(String entry) {
            int slash = entry.indexOf('/');
            String host = slash >= 0 ? entry.substring(0, slash) : entry;
            InetAddress address = Addresses.literal(host);
            if (address == null) {
                if (slash >= 0) {
                    throw new IllegalArgumentException("not a CIDR: " + entry);
                }
                return new Rule(entry.toLowerCase(Locale.ROOT), null, 0);
            }
            byte[] bytes = address.getAddress();
            int prefix = slash >= 0 ? Integer.parseInt(entry.substring(slash + 1)) : bytes.length * 8;
            return new Rule(null, bytes, prefix);
        }

        boolean matchesName(String host) {
            if (name == null) {
                return false;
            }
            return name.startsWith("*.") ? host.endsWith(name.substring(1)) : host.equals(name);
        }

        boolean matchesAddress(InetAddress address) {
            if (network == null) {
                return false;
            }
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
