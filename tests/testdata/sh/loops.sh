# while, until, for, break and continue
i=0
while [ $i -lt 3 ]; do
	echo "while $i"
	i=$((i + 1))
done
until [ $i -eq 0 ]; do i=$((i - 1)); done
echo "until left i=$i"
for w in a b "c d"; do echo "for $w"; done
set -- x y z
for arg; do echo "arg $arg"; done
for n in 1 2 3 4 5 6; do
	if [ $n -eq 2 ]; then continue; fi
	if [ $n -eq 5 ]; then break; fi
	echo "n=$n"
done
for a in 1 2; do
	for b in 1 2 3; do
		if [ $b -eq 2 ]; then continue 2; fi
		echo "$a.$b"
	done
done
for a in 1 2; do for b in 1 2; do echo "$a$b"; break 2; done; done
for e in; do echo never; done
echo "empty for: $?"
