// The failure report of the deliberately failing PingTests, where a user sees it with Surefire's
// defaults and no logging provider: on the console (build.log) and in the XML report.
def hexLine = ~/echo-server\.connection-1 = peer \S+ \(client port \d+\), (open|closed), received 6 bytes, sent \d bytes, first 6 bytes: text "PING\\r\\n" hex 50 49 4e 47 0d 0a/

def console = new File(basedir, 'build.log').getText('UTF-8')
assert console.contains('Tests run: 1, Failures: 1') : "the test did not fail as planned:\n${console}"
assert console.contains('Suppressed: dev.echofixture.junit.TrafficReportException: traffic of the echo servers of PingTests > sendsPing(EmbeddedEchoServer):') :
        "no failure report on the console:\n${console}"
assert console =~ hexLine : "no hex line on the console:\n${console}"

def xml = new File(basedir, 'target/surefire-reports/TEST-com.example.report.PingTests.xml')
assert xml.isFile() : "no XML report: ${xml}"
def report = xml.getText('UTF-8')
assert report =~ hexLine : "no hex line in ${xml.name}:\n${report}"
assert report.contains('echo-server.seed') : "no seed in ${xml.name}"
return true
