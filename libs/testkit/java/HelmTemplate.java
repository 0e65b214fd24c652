import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;

/**
 * `helm lint --strict` then `helm template` through Helm's own Go library (helm-java). Usage: HelmTemplate <chart>
 * <release> [values.yaml]. Prints the rendered manifests; exits 2 with the lint messages when lint fails.
 */
public class HelmTemplate {
  public static void main(String[] args) throws Exception {
    Helm helm = new Helm(Path.of(args[0]));
    LintResult lint = helm.lint().strict().call();
    if (lint.isFailed()) {
      lint.getMessages().forEach(System.err::println);
      System.exit(2);
    }
    var template = helm.template().withName(args[1]).withNamespace("vigil");
    if (args.length > 2) template = template.withValuesFile(Path.of(args[2]));
    System.out.print(template.call());
  }
}
