"""Address checks for the lab's preflight, with the standard library only.

ansible.utils.ipaddr needs python netaddr on the controller, which many Ansible installs
lack; these three filters are all the preflight needs.
"""

import ipaddress


def lab_is_ipv4(value):
    """True when value is a literal IPv4 address such as 10.77.0.10."""
    try:
        ipaddress.IPv4Address(str(value))
    except ValueError:
        return False
    return True


def lab_is_cidr(value):
    """True when value is an IPv4 network such as 10.77.0.0/24."""
    try:
        ipaddress.IPv4Network(str(value), strict=False)
    except ValueError:
        return False
    return True


def lab_in_network(value, network):
    """True when the IPv4 address value lies inside network (CIDR)."""
    if not lab_is_ipv4(value) or not lab_is_cidr(network):
        return False
    return ipaddress.IPv4Address(str(value)) in ipaddress.IPv4Network(str(network), strict=False)


class FilterModule:
    """Lab address filters."""

    def filters(self):
        return {
            "lab_is_ipv4": lab_is_ipv4,
            "lab_is_cidr": lab_is_cidr,
            "lab_in_network": lab_in_network,
        }
