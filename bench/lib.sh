# Helpers the bench/*.sh scripts share (sourced, not run).

# median [FORMAT] < figures, one per line: the middle figure as given, or
# for an even count the mean of the two middle ones in FORMAT (%.2f).
median() {
	sort -n | awk -v f="${1:-%.2f}" '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]
		else printf f "\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
