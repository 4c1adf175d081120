#!/bin/sh
# busybox udhcpc's event script in gasang's initramfs: configures the
# interface from the lease (address, default route, DNS). udhcpc passes
# the event as $1 and the lease in the environment.
case "$1" in
deconfig)
	ip -4 addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound | renew)
	ip -4 addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	for r in $router; do
		ip route add default via "$r" dev "$interface"
		break
	done
	: >/etc/resolv.conf
	for d in $dns; do
		echo "nameserver $d" >>/etc/resolv.conf
	done
	echo "gasang: $interface has address $ip"
	;;
esac
exit 0
