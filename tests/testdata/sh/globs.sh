# pathname expansion: *, ?, [...], no match, quoting, directories
mkdir -p /tmp/g/sub && cd /tmp/g
touch a.txt b.txt c.log .hidden sub/d.txt ab.txt
echo *.txt
echo ?.txt
echo [ab].*
echo [!a]*
echo *.none
echo "*.txt" '*'
echo sub/*
echo */*.txt
echo /tmp/g/c*
echo .h*
for f in *.log; do echo "log: $f"; done
v='*.log'; echo $v "$v"
