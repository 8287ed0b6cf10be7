// java -jar on the jar that dependency:copy fetched: --version, then the first line of a running server
import java.util.concurrent.TimeUnit

def jar = new File(basedir, "target/echo-fixture-${projectVersion}-standalone.jar")
assert jar.isFile() : "dependency:copy did not fetch ${jar}"
def java = new File(System.getProperty("java.home"), "bin/java").path

def version = [java, "-jar", jar.path, "--version"].execute()
assert version.waitFor(60, TimeUnit.SECONDS) : "java -jar ${jar.name} --version still running after 60 s"
assert version.exitValue() == 0 : "--version exited ${version.exitValue()}: ${version.errorStream.text}"
assert version.inputStream.text.trim() == "echo-fixture ${projectVersion}"

def server = [java, "-jar", jar.path, "--port", "0", "--quiet"].execute()
try {
    def firstLine = new BufferedReader(new InputStreamReader(server.inputStream, "UTF-8")).readLine()
    assert firstLine ==~ /echo-fixture listening on tcp:\/\/127\.0\.0\.1:\d+/ : "first line: ${firstLine}"
} finally {
    server.destroy()
    server.waitFor(30, TimeUnit.SECONDS)
}
return true
