// Starts Debian's JMeter 2.13 so that it can load test plans. TESTS ON DEBIAN ONLY: the lab
// itself installs a current Apache JMeter on the runner and never uses this class.
//
// Why: Debian ships JMeter 2.13 with a newer XStream (1.4.20) whose default security policy
// rejects every class JMeter's SaveService reads from a .jmx or .jtl file (ForbiddenClassException
// on ScriptWrapper), so the packaged `jmeter` cannot load any plan. This launcher widens the
// policy of SaveService's two private XStream instances before JMeter starts. It only ever reads
// plans from this repository.
import com.thoughtworks.xstream.XStream;
import com.thoughtworks.xstream.security.AnyTypePermission;
import java.lang.reflect.Field;
import org.apache.jmeter.JMeter;
import org.apache.jmeter.save.SaveService;
import org.apache.jmeter.util.JMeterUtils;

public final class DebianJMeterLauncher {
    private DebianJMeterLauncher() {}

    public static void main(String[] args) throws Exception {
        String home = System.getProperty("jmeter.home", "/usr/share/jmeter");
        // SaveService reads saveservice.properties from the JMeter home in its static initialiser,
        // so the home and jmeter.properties must be set before the class is touched below.
        JMeterUtils.setJMeterHome(home);
        JMeterUtils.loadJMeterProperties(home + "/bin/jmeter.properties");
        for (String name : new String[] {"JMXSAVER", "JTLSAVER"}) {
            Field field = SaveService.class.getDeclaredField(name);
            field.setAccessible(true);
            ((XStream) field.get(null)).addPermission(AnyTypePermission.ANY);
        }
        new JMeter().start(args);
    }
}
