# coreutils that filter text: sort, uniq, tee, seq, cut, tr, printf, xargs
printf 'pear\napple\nfig\napple\nBanana\n' > /tmp/fruit
sort /tmp/fruit
sort -r /tmp/fruit | head -n 2
sort -u /tmp/fruit | wc -l
sort -f /tmp/fruit | head -n 1
printf '10\n9\n100\n-1\n' | sort -n
printf 'b 2\na 3\nc 1\n' | sort -k 2
printf 'x:3\ny:1\n' | sort -t : -k 2
sort /tmp/fruit | uniq
sort /tmp/fruit | uniq -c
sort /tmp/fruit | uniq -d
sort /tmp/fruit | uniq -u
echo tee-test | tee /tmp/t1 /tmp/t2 > /dev/null; cat /tmp/t1 /tmp/t2
echo more | tee -a /tmp/t1; cat /tmp/t1
seq 3
seq 2 4
seq 10 -3 1
seq -s , 1 5
seq -w 8 10
echo 'a:b:c:d' | cut -d : -f 2
echo 'a:b:c:d' | cut -d : -f 1,3-
echo 'a:b:c:d' | cut -d : -f -2
echo 'hello world' | cut -c 1-5
printf 'x\ty\n' | cut -f 2
echo hello | tr a-z A-Z
echo 'a  b   c' | tr -s ' '
echo 'hello world' | tr -d lo
echo 'abc123' | tr -cd '[:digit:]'; echo
echo 'a,b' | tr , '\n'
printf '%s-%d-%05.1f-%x-%o-%c|\n' str 42 3.14159 255 8 xyz
printf '%-5s|%5s|\n' ab cd
printf '%s\n' one two three
printf 'no newline'; printf '\n'
printf '%b\n' 'tab\there'
printf '%d%%\n' 50
echo 1 2 3 4 5 | xargs -n 2 echo got
printf 'a\nb\n' | xargs -I X echo [X]
echo x y | xargs
printf 'f1\nf2\n' | xargs -I F sh -c 'echo F > /tmp/F'; cat /tmp/f1 /tmp/f2
# grep's common flags: -x whole lines, -w words, -F fixed strings, -q the
# status only, -l file names, -e a pattern that starts with -
printf 'ab\nabc\nx.y\nxzy\nfoo bar\n-n\n' > /tmp/g
grep -x ab /tmp/g
grep -w foo /tmp/g
grep -F x.y /tmp/g
grep -q abc /tmp/g; echo "grep -q: $?"
grep -q nope /tmp/g; echo "grep -q, no match: $?"
grep -l ab /tmp/g /etc/motd
grep -e -n /tmp/g
grep -c -E 'a(b|c)c?$' /tmp/g
# cat -n numbers lines across files; tail -c, tail -n +N; seq -sSEP
seq 3 > /tmp/n
cat -n /tmp/n /tmp/n | tail -n 2
tail -c 4 /tmp/n
tail -n +2 /tmp/n
seq -s, 4
# sort -o writes to a file, which may be its input; find -print
printf 'b\na\n' > /tmp/so; sort -o /tmp/so /tmp/so; cat /tmp/so
find /etc -name motd -print
# who and where: whoami, hostname (/etc/hostname), uname; yes until its
# reader goes; tac
whoami; su user -c whoami
hostname; uname; uname -a
echo box > /etc/hostname; hostname; uname -n; rm /etc/hostname
yes | head -2; yes no | head -1
seq 3 | tac
