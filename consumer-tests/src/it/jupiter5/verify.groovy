// The POMs users get, as invoker:install put them into the isolated repository (target/local-repo):
// flattened (no parent, no properties, versions resolved), and asking for JUnit's floor only.
def pomText = { String artifactId ->
    def file = new File(localRepositoryPath, "dev/echofixture/${artifactId}/${projectVersion}/${artifactId}-${projectVersion}.pom")
    assert file.isFile() : "not installed: ${file}"
    file.getText("UTF-8")
}
def versionOf = { String pom, String artifactId ->
    def m = pom =~ "<artifactId>${artifactId}</artifactId>\\s*<version>([^<]+)</version>"
    assert m.find() : "no ${artifactId} with a version in:\n${pom}"
    m.group(1)
}
def numbers = { String version -> version.tokenize('.').collect { (it.find(/^\d+/) ?: '0') as int } }
def compareVersions = { String a, String b ->
    def x = numbers(a), y = numbers(b)
    for (i in 0..<Math.max(x.size(), y.size())) {
        int d = (i < x.size() ? x[i] : 0) <=> (i < y.size() ? y[i] : 0)
        if (d != 0) return d
    }
    return 0
}

['echo-fixture-bom', 'echo-fixture', 'echo-junit-extension'].each { artifactId ->
    def pom = pomText(artifactId)
    ['<parent>', '<properties>', '<build>', '<profiles>'].each { element ->
        assert !pom.contains(element) : "${artifactId}'s published POM has ${element}"
    }
    ['<licenses>', '<scm', '<developers>', '<url>', '<description>'].each { element ->
        assert pom.contains(element) : "${artifactId}'s published POM lacks ${element}"
    }
}
assert !pomText('echo-fixture-bom').contains('<groupId>org.junit') : "the BOM must not manage JUnit"

def extension = pomText('echo-junit-extension')
def asked = versionOf(extension, 'junit-jupiter-api')
assert asked == junitFloorVersion : "echo-junit-extension asks for junit-jupiter-api ${asked}, not the floor ${junitFloorVersion}"
// Maven lets this build's junit-bom win whatever the extension asks for (JUnitVersionTests checks
// that); Gradle takes the highest version asked for, so the extension must never ask for more.
assert compareVersions(asked, consumerJupiterVersion) <= 0 :
        "echo-junit-extension asks for junit-jupiter-api ${asked}, newer than this build's ${consumerJupiterVersion}: " +
        "Gradle, which picks the highest version asked for, would upgrade the user's JUnit API past its engine"
assert versionOf(extension, 'slf4j-api') != null
return true
