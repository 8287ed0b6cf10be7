// The README's Maven snippets, as written, make a build whose tests run: its POM holds them
// (indentation aside, versions filled in), Surefire ran the unit test, Failsafe the integration
// test, and SLF4J printed no warning (slf4j-nop is on the test class path).
def strip = { String text -> text.readLines().collect { it.strip() }.findAll { it }.join('\n') }

def readme = new File(readmeFile).getText('UTF-8')
// the pluginManagement section only pins plugins for the offline build; the README does not ask for it
def pom = strip(new File(basedir, 'pom.xml').getText('UTF-8').replaceAll(/(?s)<pluginManagement>.*?<\/pluginManagement>/, ''))
def xmlBlocks = (readme =~ /(?s)```xml\R(.*?)\R```/).collect { it[1] }
def main = xmlBlocks.findAll { it.contains('echo-junit-extension') }
def slf4j = xmlBlocks.findAll { it.contains('slf4j-nop') }
assert main.size() == 1 && slf4j.size() == 1 : "expected the README's Maven snippet and its slf4j-nop snippet once each: ${main.size()}, ${slf4j.size()}"
// the slf4j-nop dependency sits at the end of <dependencies>; without it the POM holds the main snippet in one piece
assert pom.contains(strip(slf4j[0])) : "pom.xml does not hold the README's slf4j-nop snippet as written:\n${slf4j[0]}\n--- pom.xml:\n${pom}"
def withoutSlf4j = pom.replace(strip(slf4j[0]) + '\n', '')
assert withoutSlf4j.contains(strip(main[0])) : "pom.xml does not hold the README's Maven snippet as written:\n${main[0]}\n--- pom.xml:\n${pom}"

def report = { String folder, String testClass ->
    def xml = new File(basedir, "target/${folder}/TEST-com.example.readme.${testClass}.xml")
    assert xml.isFile() : "${testClass} did not run: no ${xml}"
    def suite = (xml.getText('UTF-8') =~ /<testsuite\b[^>]*>/)[0]
    def count = { String name -> (suite =~ /\b${name}="(\d+)"/)[0][1] as int }
    assert count('tests') >= 1 : "${testClass}: no test ran: ${suite}"
    assert count('failures') == 0 && count('errors') == 0 : "${testClass} failed: ${suite}"
}
report('surefire-reports', 'EchoTests')
report('failsafe-reports', 'EchoServerIT')

def console = new File(basedir, 'build.log').getText('UTF-8')
assert !console.contains('SLF4J(W)') : "SLF4J warned although slf4j-nop is there:\n${console}"
return true
